# HMR in SPIN's form: ResNet-50 -> global feature -> IEF (3 iterations from
# SMPL mean parameters) -> SMPL, weak-perspective camera, SPIN losses.
# Paper setting: SMPL, trained on H36M / MPI-INF-3DHP / COCO / MPII, tested
# on 3DPW.  Needs the licensed SMPL files and the converted datasets; the
# embedded variant configs/hmr/r50_hmr_anny.py needs neither.
#   python tools/train.py configs/hmr/r50_hmr.py
_base_ = ['../_base_/default_runtime.py',
          '../_base_/body_models/smpl.py',
          '../_base_/evaluation/protocols.py',
          '../_base_/paper_evaluation.py',
          '../_base_/datasets/paper_data_files.py',
          '../_base_/models/spin_losses.py']
required_data = dict(embedded_variant='configs/hmr/r50_hmr_anny.py')
model = dict(
    type='MeshEstimator',
    data_preprocessor={{_base_.image_preprocessor}},
    # ImageNet ResNet-50 (HMR, SPIN): torchvision's weights through the zoo
    # (downloaded, verified and converted once; offline: put the file in
    # the cache by hand, the message says where)
    backbone=dict(type='ResNet', depth=50, init_cfg=dict(
        type='Pretrained', prefix='backbone.',
        checkpoint='zoo://resnet50_imagenet_torchvision_v1')),
    head=dict(type='IEFHead', n_iter=3,
              mean_params='data/body_models/smpl_mean_params.npz'),
    body_model={{_base_.body_model}},
    projection=dict(type='WeakPerspectiveProjection', focal_length=5000.,
                    img_res=224),
    losses={{_base_.spin_losses}},
    # 3D keypoints and vertices are centred on the mid-hip of the dataset
    # hips (smpl_54's right/left_hip_extra), as SPIN does: every 3D dataset
    # labels these hips, few label SMPL's pelvis joint
    root_indices=[45, 46])
train_dataloader = dict(dataset=dict(defaults=dict(crop_size=(224, 224))))
val_dataloader = dict(dataset=dict(crop_size=(224, 224)))
test_dataloader = val_dataloader
# The literature's 3DPW protocol (SPIN / PyMAF / CLIFF / Multi-RoI): 14 LSP
# joints regressed with J_regressor_h36m, pelvis-centred, ground truth from
# the SMPL of the annotated gender (_base_/evaluation/protocols.py).
val_evaluator = {{_base_.pw3d_evaluator}}
test_evaluator = val_evaluator
optim_wrapper = dict(type='OptimWrapper', optimizer=dict(type='Adam',
                                                         lr=5e-5))
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=50, val_interval=5)
# epoch-based: one checkpoint per epoch, the last three kept
default_hooks = dict(checkpoint=dict(by_epoch=True, interval=1,
                                     max_keep_ckpts=3))
log_processor = dict(by_epoch=True)
