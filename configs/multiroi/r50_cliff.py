# Multi-RoI on top of CLIFF, ResNet-50 (the headline config): M = 5 RoIs
# (the bbox, then offsets +-0.1b with scales 1.5, 1.25, 0.8, 0.65), shared
# backbone, RoI-aware fusion with relative positional encoding (L = 32),
# shared mesh decoder and per-RoI camera decoders, camera-consistency
# (lambda_cam = 1) and contrastive (lambda_cont = 0.1, tau = 0.5) losses on
# top of SPIN's, everything x60 (see _base_/models/spin_losses.py).
# Adam 1e-4, batch 48 (§4.2).  Paper setting: SMPL, H36M / MPI-INF-3DHP /
# COCO / MPII, tested on 3DPW; the embedded variant is
# configs/multiroi/r50_cliff_anny.py.
#   python tools/train.py configs/multiroi/r50_cliff.py
_base_ = ['../_base_/default_runtime.py',
          '../_base_/body_models/smpl.py',
          '../_base_/evaluation/protocols.py',
          '../_base_/paper_evaluation.py',
          '../_base_/datasets/paper_data_files.py',
          '../_base_/models/spin_losses.py']
required_data = dict(embedded_variant='configs/multiroi/r50_cliff_anny.py')
num_rois = 5
model = dict(
    type='MultiRoIEstimator',
    data_preprocessor=dict(_base_.image_preprocessor,
                           type='RoIImgDataPreprocessor'),
    # a COCO 2D-pose ResNet-50 (§4.2, as CLIFF): mmpose's, through the zoo
    backbone=dict(type='ResNet', depth=50, init_cfg=dict(
        type='Pretrained', prefix='backbone.',
        checkpoint='zoo://resnet50_coco_pose_mmpose')),
    neck=dict(type='RoIAwareFusion', encoding='relative', num_freqs=32),
    # num_rois: the real-data crops carry M (the datasets below); the
    # head's channels follow from the backbone
    head=dict(type='MultiRoIHead', num_rois=num_rois, n_iter=3,
              mean_params='data/body_models/smpl_mean_params.npz'),
    body_model={{_base_.body_model}},
    # CLIFF's (configs/cliff/cliff_r50.py): the bounding-box information
    # input and the 2D loss through the full-image camera
    bbox_info='cliff',
    projection=dict(type='CliffFullFrameProjection', crop_size=(192, 256)),
    losses=dict(
        _base_.spin_losses,
        camera_consistency=dict(type='CameraConsistencyLoss', lambda_x=0.1,
                                lambda_y=0.1, lambda_s=1e-4,
                                loss_weight=60.),
        contrastive=dict(type='RoIContrastiveLoss', temperature=0.5,
                         loss_weight=6.)),
    # 3D keypoints and vertices centred on the mid-hip of the dataset hips
    # (smpl_54's right/left_hip_extra), as SPIN does (configs/hmr/r50_hmr.py)
    root_indices=[45, 46])
# 256x192 crops (the mix's default); no in-plane rotation: the 2D loss goes
# through the full-image camera, which a rotated crop does not share (see
# HumanImageDataset's `rotate`)
train_dataloader = dict(batch_size=48, dataset=dict(
    defaults=dict(rotate=False, num_rois=num_rois)))
val_dataloader = dict(dataset=dict(num_rois=num_rois))
test_dataloader = val_dataloader
# The literature's 3DPW protocol (_base_/evaluation/protocols.py)
val_evaluator = {{_base_.pw3d_evaluator}}
test_evaluator = val_evaluator
optim_wrapper = dict(type='OptimWrapper', optimizer=dict(type='Adam',
                                                         lr=1e-4))
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=25, val_interval=5)
# epoch-based: one checkpoint per epoch, the last three kept
default_hooks = dict(checkpoint=dict(by_epoch=True, interval=1,
                                     max_keep_ckpts=3))
log_processor = dict(by_epoch=True)
