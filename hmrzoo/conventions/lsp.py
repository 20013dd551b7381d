"""Leeds Sports Pose: 14 joints (the first 14 of SPIN's ground-truth 24)."""

LSP_14 = [
    'right_ankle', 'right_knee', 'right_hip_extra', 'left_hip_extra',
    'left_knee', 'left_ankle', 'right_wrist', 'right_elbow',
    'right_shoulder', 'left_shoulder', 'left_elbow', 'left_wrist',
    'neck_extra', 'headtop',
]

CONVENTIONS = {'lsp': LSP_14}
