# Multi-RoI on top of CLIFF (ResNet-50), on synthetic RGB scenes of Anny:
# the embedded variant of configs/multiroi/r50_cliff.py.  M = 5 RoIs (the
# bbox, then offsets +-0.1b with scales 1.5, 1.25, 0.8, 0.65), RoI-aware
# fusion with relative positional encoding (L = 32), a shared mesh decoder
# and per-RoI camera decoders, the camera-consistency (lambda_cam = 1) and
# contrastive (lambda_cont = 0.1, tau = 0.5) losses, all x60 like the
# other terms (see _base_/models/spin_losses.py).
#   python tools/train.py configs/multiroi/r50_cliff_anny.py
#   python tools/test.py configs/multiroi/r50_cliff_anny.py CKPT
_base_ = ['../_base_/models/rgb_anny_runtime.py',
          '../_base_/models/spin_losses.py']
num_rois = 5
model = dict(
    type='MultiRoIEstimator',
    data_preprocessor=dict(type='SyntheticRoIPreprocessor',
                           body_model={{_base_.body_model}},
                           num_rois=num_rois, outputs=('rgb', ),
                           render_size=64, crop_scale=1.2),
    backbone=dict(type='ResNet', depth=50),
    neck=dict(type='RoIAwareFusion', encoding='relative', num_freqs=32),
    # M and the channels follow from the preprocessor and the backbone
    head=dict(type='MultiRoIHead', n_iter=3),
    body_model={{_base_.body_model}},
    # CLIFF's (configs/cliff/cliff_r50_anny.py): the bounding-box
    # information input; 2D loss in each crop's normalised frame after
    # projecting with the full-image camera (focal and image size from the
    # sample's metainfo)
    bbox_info='cliff',
    projection=dict(type='CliffFullFrameProjection'),
    losses=dict(
        _base_.spin_losses_anny,
        camera_consistency=dict(type='CameraConsistencyLoss', lambda_x=0.1,
                                lambda_y=0.1, lambda_s=1e-4,
                                loss_weight=60.),
        contrastive=dict(type='RoIContrastiveLoss', temperature=0.5,
                         loss_weight=6.)),
    root_indices=[0])
