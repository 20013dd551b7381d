# HMR in SPIN's form: ResNet-50 -> global feature -> IEF (3 iterations from
# SMPL mean parameters) -> SMPL, weak-perspective camera, SPIN losses.
# Paper setting: SMPL, trained on H36M / MPI-INF-3DHP / COCO / MPII, tested
# on 3DPW.  Needs the licensed SMPL files and the converted datasets; the
# embedded variant configs/hmr/r50_hmr_anny.py needs neither.
#   python tools/train.py configs/hmr/r50_hmr.py
_base_ = ['../_base_/default_runtime.py',
          '../_base_/body_models/smpl.py',
          '../_base_/datasets/mix_h36m_mpiinf_coco_mpii.py',
          '../_base_/models/spin_losses.py']
required_data = dict(embedded_variant='configs/hmr/r50_hmr_anny.py')
# smpl_54 keypoints: smplx's 45 joints + SPIN's 9 extra regressor rows
body_model = dict(type='SMPL', model_path='data/body_models',
                  gender='neutral',
                  extra_joints_regressor='data/body_models/'
                                         'J_regressor_extra.npy')
model = dict(
    type='MeshEstimator',
    data_preprocessor=dict(type='ImgDataPreprocessor',
                           mean=[123.675, 116.28, 103.53],
                           std=[58.395, 57.12, 57.375], bgr_to_rgb=True),
    backbone=dict(type='ResNet', depth=50),
    head=dict(type='IEFHead', in_channels=2048, num_joints=24, num_betas=10,
              n_iter=3, mean_params='data/body_models/smpl_mean_params.npz'),
    body_model=body_model,
    projection=dict(type='WeakPerspectiveProjection', focal_length=5000.,
                    img_res=224),
    losses={{_base_.spin_losses}},
    root_indices=[0])
train_dataloader = dict(dataset=dict(defaults=dict(crop_size=(224, 224))))
val_dataloader = dict(dataset=dict(crop_size=(224, 224)))
test_dataloader = val_dataloader
optim_wrapper = dict(type='OptimWrapper', optimizer=dict(type='Adam',
                                                         lr=5e-5))
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=50, val_interval=5)
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
