"""MPII Human Pose: 16 joints in the dataset's joint-id order.

MPII's upper neck is stored as LSP's neck (``neck_extra``) and its head top
as LSP's head top (``headtop``), as SPIN's preprocessing does; pelvis and
thorax are the MPII points ``pelvis_extra`` / ``thorax_extra`` that SPIN's
``J_regressor_extra`` also regresses.
"""

MPII_16 = [
    'right_ankle', 'right_knee', 'right_hip_extra', 'left_hip_extra',
    'left_knee', 'left_ankle', 'pelvis_extra', 'thorax_extra', 'neck_extra',
    'headtop', 'right_wrist', 'right_elbow', 'right_shoulder',
    'left_shoulder', 'left_elbow', 'left_wrist',
]

CONVENTIONS = {'mpii': MPII_16}
