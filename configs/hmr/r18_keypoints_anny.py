# HMR-style regressor on 2D keypoint heatmaps, trained on synthetic Anny
# bodies generated on the fly (the embedded default: no licensed file).
#   python tools/train.py configs/hmr/r18_keypoints_anny.py
#   python tools/test.py configs/hmr/r18_keypoints_anny.py CKPT
_base_ = [
    '../_base_/evaluation/synthetic_anny.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/adam_iter_2k.py',
    '../_base_/body_models/anny.py',
    '../_base_/datasets/synthetic_keypoints.py',
]
train_dataloader = dict(dataset=dict(num_betas={{_base_.num_betas}}))
val_dataloader = dict(dataset=dict(num_betas={{_base_.num_betas}}))
test_dataloader = val_dataloader

model = dict(
    type='MeshEstimator',
    data_preprocessor=dict(type='SyntheticKeypointPreprocessor',
                           body_model={{_base_.body_model}},
                           input_convention='coco', heatmap_size=64,
                           sigma=2.0, crop_scale=1.2),
    backbone=dict(type='ResNet', depth=18),
    head=dict(type='IEFHead', n_iter=3),
    body_model={{_base_.body_model}},
    # 2D ground truth is in normalised crop coordinates; SPIN's camera.
    projection=dict(type='WeakPerspectiveProjection', focal_length=5000.,
                    img_res=256),
    # SPIN's weights (2D/3D keypoints 300, pose 60, betas 0.06, camera 60)
    # plus a vertex term, since synthetic data has exact meshes.
    losses=dict(
        keypoints3d=dict(type='KeypointMSELoss', loss_weight=300.),
        keypoints2d=dict(type='KeypointMSELoss', loss_weight=300.),
        pose=dict(type='MSELoss', loss_weight=60.),
        betas=dict(type='MSELoss', loss_weight=0.06),
        vertices=dict(type='L1Loss', loss_weight=60.),
        camera=dict(type='CameraScaleLoss', loss_weight=60.)),
    root_indices=[0])

# 24 Anny joints, pelvis-centred (_base_/evaluation/synthetic_anny.py)
val_evaluator = dict(
    _base_.synthetic_anny_evaluator,
    data_description='held-out synthetic Anny set (seed 1234, 512 samples, '
                     'clean COCO-17 keypoints)')
test_evaluator = val_evaluator
default_hooks = dict(checkpoint=dict(interval=500, max_keep_ckpts=3,
                                     save_best=None))
