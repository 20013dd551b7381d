# What the paper-setting SMPL configs share besides their data: the image
# normalisation of real crops and the evaluation on 3DPW.
# ImageNet statistics on BGR images, converted to RGB.
image_preprocessor = dict(type='ImgDataPreprocessor',
                          mean=[123.675, 116.28, 103.53],
                          std=[58.395, 57.12, 57.375], bgr_to_rgb=True)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
# MPJPE / PA-MPJPE / PVE on the 24 SMPL joints, pelvis-centred.  The
# literature's 3DPW protocol (14 joints from the H36M regressor, gendered
# ground truth) replaces it with the dataset protocols.
val_evaluator = dict(
    type='MeshRecoveryMetric', metric=('MPJPE', 'PA-MPJPE', 'PVE'),
    joint_indices=list(range(24)), root_indices=[0], vertex_root_indices=[0],
    data_description='3DPW test')
test_evaluator = val_evaluator
