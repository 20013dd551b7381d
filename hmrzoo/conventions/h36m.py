"""Human3.6M's 17-joint layout, in the row order of SPIN's (and HMR's)
``J_regressor_h36m.npy``.

That order lists the left leg before the right one (pelvis, left hip, knee,
ankle, right hip, knee, ankle, spine, thorax, neck/nose, head, left
shoulder, elbow, wrist, right shoulder, elbow, wrist); it is the order in
which SPIN's ``H36M_TO_J14 = [6, 5, 4, 1, 2, 3, 16, 15, 14, 11, 12, 13, 8,
10]`` picks the 14 LSP joints.  Consistently with that evaluation and with
SPIN's preprocessing:

* the thorax (index 8) is the point LSP calls neck: ``neck_extra``;
* the head (index 10) is evaluated as LSP's head top: ``headtop``;
* the neck/nose point (index 9) is ``jaw_extra``; pelvis, spine and hips
  are mocap-skeleton points, not SMPL joints: ``pelvis_extra``,
  ``spine_extra``, ``*_hip_extra``.
"""

H36M_17 = [
    'pelvis_extra', 'left_hip_extra', 'left_knee', 'left_ankle',
    'right_hip_extra', 'right_knee', 'right_ankle', 'spine_extra',
    'neck_extra', 'jaw_extra', 'headtop', 'left_shoulder', 'left_elbow',
    'left_wrist', 'right_shoulder', 'right_elbow', 'right_wrist',
]

CONVENTIONS = {'h36m': H36M_17}
