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
_base_ = ['../cliff/cliff_r50.py']
required_data = dict(embedded_variant='configs/multiroi/r50_cliff_anny.py')
num_rois = 5
model = dict(
    type='MultiRoIEstimator',
    data_preprocessor=dict(type='RoIImgDataPreprocessor'),
    neck=dict(type='RoIAwareFusion', in_channels=2048, encoding='relative',
              num_freqs=32),
    head=dict(_delete_=True, type='MultiRoIHead', in_channels=2048,
              num_rois=num_rois, n_iter=3,
              mean_params='data/body_models/smpl_mean_params.npz'),
    losses=dict(
        camera_consistency=dict(type='CameraConsistencyLoss', lambda_x=0.1,
                                lambda_y=0.1, lambda_s=1e-4,
                                loss_weight=60.),
        contrastive=dict(type='RoIContrastiveLoss', temperature=0.5,
                         loss_weight=6.)))
train_dataloader = dict(batch_size=48, dataset=dict(
    defaults=dict(num_rois=num_rois)))
val_dataloader = dict(dataset=dict(num_rois=num_rois))
test_dataloader = val_dataloader
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=25, val_interval=5)
