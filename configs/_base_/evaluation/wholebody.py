# Whole-body errors in mm on COCO-WholeBody keypoints (indices: body 0-22 =
# COCO-17 + 6 foot points, face 23-90, left hand 91-111, right hand
# 112-132), each part on its own root; points the body model lacks are
# masked (Anny's face has 10 of the 68 points):
#   body/MPJPE, body/PA-MPJPE: centred on the mid-hip;
#   left_hand/*, right_hand/*: centred on the hand root (wrist);
#   face/MPJPE: centred on the nose tip (index 53, iBUG 30), which SMPL-X
#   and Anny both have: the expression and head-shape error.
# A config adds its data_description to each entry.
wholebody_metrics = [
    dict(type='MeshRecoveryMetric', metric=('MPJPE', 'PA-MPJPE'),
         joint_indices=list(range(23)), root_indices=[11, 12],
         prefix='body'),
    dict(type='MeshRecoveryMetric', metric=('MPJPE', ),
         joint_indices=list(range(23, 91)), root_indices=[53],
         prefix='face'),
    dict(type='MeshRecoveryMetric', metric=('MPJPE', 'PA-MPJPE'),
         joint_indices=list(range(91, 112)), root_indices=[91],
         prefix='left_hand'),
    dict(type='MeshRecoveryMetric', metric=('MPJPE', 'PA-MPJPE'),
         joint_indices=list(range(112, 133)), root_indices=[112],
         prefix='right_hand'),
]
