"""MPI-INF-3DHP layouts.

* ``mpi_inf_3dhp``: the 17 joints of the test set's ``univ_annot3``
  (head top, neck, right arm, left arm, right leg, left leg, pelvis, spine,
  head).
* ``mpi_inf_3dhp_28``: the 28 joints of the training sequences'
  annotations.

The names follow SPIN's correspondence with Human3.6M, so that
``mpi_inf_3dhp`` and ``h36m`` hold the same 17 names: 3DHP's "head" is
stored in H36M's neck/nose slot (``jaw_extra``) and its head top in H36M's
head slot (``headtop``).  Points only 3DHP has carry the suffix ``_3dhp``.
"""

MPI_INF_3DHP_17 = [
    'headtop', 'neck_extra', 'right_shoulder', 'right_elbow', 'right_wrist',
    'left_shoulder', 'left_elbow', 'left_wrist', 'right_hip_extra',
    'right_knee', 'right_ankle', 'left_hip_extra', 'left_knee', 'left_ankle',
    'pelvis_extra', 'spine_extra', 'jaw_extra',
]

MPI_INF_3DHP_28 = [
    'spine3_3dhp', 'spine4_3dhp', 'spine2_3dhp', 'spine_extra',
    'pelvis_extra', 'neck_extra', 'jaw_extra', 'headtop',
    'left_clavicle_3dhp', 'left_shoulder', 'left_elbow', 'left_wrist',
    'left_hand_3dhp', 'right_clavicle_3dhp', 'right_shoulder', 'right_elbow',
    'right_wrist', 'right_hand_3dhp', 'left_hip_extra', 'left_knee',
    'left_ankle', 'left_foot_3dhp', 'left_toe_3dhp', 'right_hip_extra',
    'right_knee', 'right_ankle', 'right_foot_3dhp', 'right_toe_3dhp',
]

CONVENTIONS = {
    'mpi_inf_3dhp': MPI_INF_3DHP_17,
    'mpi_inf_3dhp_28': MPI_INF_3DHP_28,
}
