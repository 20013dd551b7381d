# Evaluation on a held-out synthetic Anny set (the embedded variants): the
# 24 kinematic joints of Anny's SMPL-layout skeleton, pelvis-centred; PVE on
# pelvis-aligned vertices.  A config sets `data_description` to its inputs:
#   val_evaluator = dict(_base_.synthetic_anny_evaluator,
#                        data_description='...')
synthetic_anny_evaluator = dict(
    type='MeshRecoveryMetric',
    metric=('MPJPE', 'PA-MPJPE', 'PVE'),
    joint_indices=list(range(24)), root_indices=[0], vertex_root_indices=[0])
