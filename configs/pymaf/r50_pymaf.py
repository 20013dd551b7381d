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
          '../_base_/paper_evaluation.py',
          '../_base_/datasets/mix_spin.py',
          '../_base_/models/pymaf_r50.py']
required_data = dict(
    body_models=[('smpl', 'neutral'), ('smpl', 'male'), ('smpl', 'female'),
                 ('J_regressor_extra', None), ('J_regressor_h36m', None),
                 ('smpl_mean_params', None), ('mesh_downsampling', None)],
    embedded_variant='configs/pymaf/r50_pymaf_anny.py')
model = dict(
    data_preprocessor={{_base_.image_preprocessor}},
    head=dict(mean_params='data/body_models/smpl_mean_params.npz'),
    downsampling='data/body_models/mesh_downsampling.npz',
    body_model={{_base_.body_model}},
    # SPIN's root for the 3D losses: the mid-hip of the dataset hips
    # (smpl_54's right/left_hip_extra), which every 3D dataset labels
    root_indices=[45, 46])
optim_wrapper = dict(type='OptimWrapper',
                     optimizer=dict(type='Adam', lr=5e-5))
param_scheduler = []
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=60, val_interval=5)
# epoch-based: one checkpoint per epoch, the last three kept
default_hooks = dict(checkpoint=dict(by_epoch=True, interval=1,
                                     max_keep_ckpts=3))
log_processor = dict(by_epoch=True)
