# PyMAF (ResNet-50): a deconvolution pyramid (14², 28², 56² for 224² crops,
# 256 channels), one regressor per level fed with point-wise features (a
# 21x21 grid at t = 0, the mesh downsampled to 431 points and projected
# with the current camera at t > 0, each reduced to 5 channels), the
# auxiliary IUV head on the 56² level, the losses of eq. 2 on every
# iteration.  Adam 5e-5, batch 64.  Paper setting: SMPL, SPIN's training
# mix, tested on 3DPW; the embedded variant is
# configs/pymaf/r50_pymaf_anny.py.  Official weights convert with
#   python tools/convert_checkpoint.py --format pymaf SRC DST
_base_ = ['../_base_/default_runtime.py',
          '../_base_/body_models/smpl.py',
          '../_base_/datasets/mix_spin.py',
          '../_base_/models/pymaf_r50.py']
required_data = dict(
    body_models=[('smpl', 'neutral'), ('smpl', 'male'), ('smpl', 'female'),
                 ('J_regressor_extra', None), ('J_regressor_h36m', None),
                 ('smpl_mean_params', None), ('mesh_downsampling', None)],
    embedded_variant='configs/pymaf/r50_pymaf_anny.py')
# smpl_54 keypoints: smplx's 45 joints + SPIN's 9 extra regressor rows
body_model = dict(type='SMPL', model_path='data/body_models',
                  gender='neutral',
                  extra_joints_regressor='data/body_models/'
                                         'J_regressor_extra.npy')
model = dict(
    data_preprocessor=dict(type='ImgDataPreprocessor',
                           mean=[123.675, 116.28, 103.53],
                           std=[58.395, 57.12, 57.375], bgr_to_rgb=True),
    head=dict(mean_params='data/body_models/smpl_mean_params.npz'),
    downsampling='data/body_models/mesh_downsampling.npz',
    body_model=body_model)
optim_wrapper = dict(type='OptimWrapper',
                     optimizer=dict(type='Adam', lr=5e-5))
param_scheduler = []
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=60, val_interval=5)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
# MPJPE / PA-MPJPE / PVE on the 24 SMPL joints, pelvis-centred; the
# literature's 3DPW protocol comes with the dataset protocols.
val_evaluator = dict(
    type='MeshRecoveryMetric', metric=('MPJPE', 'PA-MPJPE', 'PVE'),
    joint_indices=list(range(24)), root_indices=[0], vertex_root_indices=[0],
    data_description='3DPW test')
test_evaluator = val_evaluator
