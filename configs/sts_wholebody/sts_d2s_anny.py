# Whole-body mesh recovery with the synthetic training scheme (STS) and the
# depth-to-scale (D2S) projection (002_af7011e3ae1aeda9.txt), on Anny's
# whole-body variant: the embedded default (no licensed file).
#
# Input: 133 COCO-WholeBody 2D keypoints in the crop (2% part-relative noise,
# 5% dropped), per-part scale normalisation (§III-C).  Global branch:
# body keypoints -> residual "bilinear transformation" block x 2 -> MLP ->
# global rotation, 21 body rotations (6D), 6 shape logits, D2S camera
# [s, t_u, t_v, d].  Partial branch: a 4-layer semantic GCN per hand (15
# finger rotations) and one for the face (+MLP: 52 facial-action weights;
# Anny's jaw is the action 'jawOpen', no jaw rotation).  Losses w_pm 20,
# w_3D 60, w_2D 6, w_r 0.5; Adam 1e-4 (0.9, 0.999), batch 16 (§IV-B); the
# partial branch is pre-trained alone for 500 iterations, then one STS step
# every 5 iterations; the other steps see 2D labels only (L_2D + L_r).
#
# Differences from the paper, all from the embedded setting: the training
# data are synthetic Anny bodies (procedural poses / hands / expressions)
# instead of AMASS / MANO / FreiHAND / D3DFACS banks and the AI-CH / MPII 2D
# images (the 2D steps are synthetic samples whose 3D labels are withheld);
# there is no image embedding (the inputs are keypoints only; the paper's
# ResNet-50 feature is image_feat_dim=512 with real images); Anny's face
# has 10 of the 68 iBUG landmarks (hmrzoo.body_models.anny_wholebody).
#
#   python tools/train.py configs/sts_wholebody/sts_d2s_anny.py
#   python tools/test.py configs/sts_wholebody/sts_d2s_anny.py CKPT
#   # far shots instead of close ones:
#   python tools/test.py ... --cfg-options \
#       'test_dataloader.dataset.camera.depth_range=(8.0,15.0)'
_base_ = [
    '../_base_/default_runtime.py',
    '../_base_/schedules/adam_iter_2k.py',
    '../_base_/datasets/synthetic_wholebody.py',
    '../_base_/evaluation/wholebody.py',
]
body_model = dict(type='AnnyWholeBody', keypoint_convention='coco_wholebody')
train_dataloader = dict(dataset=dict(
    num_betas=6, num_expression_coeffs=52,
    expression=dict(kind='actions', max_active=4)))
val_dataloader = dict(dataset=dict(
    num_betas=6, num_expression_coeffs=52,
    expression=dict(kind='actions', max_active=4)))
test_dataloader = val_dataloader

# the projection of L_2D and the head's camera (Table I swaps these three)
projection = dict(type='D2SProjection')
cam_init = (1.0, 0.0, 0.0, 5.0)    # s (crop units per metre), t_u, t_v, d (m)
positive_cam = (0, 3)              # s, d > 0
model = dict(
    type='STSWholeBodyEstimator',
    data_preprocessor=dict(type='SyntheticWholeBodyPreprocessor',
                           body_model=body_model,
                           input_convention='coco_wholebody', crop_scale=1.2),
    body_model=body_model,
    projection=projection,
    input_convention='coco_wholebody',
    head=dict(type='STSWholeBodyHead', cam_init=cam_init,
              positive_cam=positive_cam, width=1024, gcn_hidden=64),
    loss_weights=dict(pm=20., kp3d=60., kp2d=6., r=0.5),
    sts_interval=5,
    partial_pretrain_iters=500,
    weak_terms=('kp2d', 'r'))
paper_differences = [
    'body model: Anny whole body (open) instead of SMPL-X; 52 facial actions '
    'instead of 10 expression coefficients + jaw; 10 of the 68 face '
    'landmarks',
    'data: synthetic bodies, hands and expressions from procedural samplers '
    'instead of AMASS / MANO / FreiHAND / D3DFACS banks, and synthetic 2D '
    'steps instead of AI-CH / MPII images',
    'input: keypoints only, no ResNet-50 image embedding (no images)',
    'test: held-out synthetic close / far shots, not Panoptic / Human3.6M / '
    'STB',
]
optim_wrapper = dict(optimizer=dict(type='Adam', lr=1e-4,
                                    betas=(0.9, 0.999)))
train_cfg = dict(max_iters=4000, val_interval=2000)
default_hooks = dict(checkpoint=dict(interval=2000, max_keep_ckpts=2))

_data = ('held-out synthetic Anny whole bodies (seed 4321, 256 samples, '
         'clean COCO-WholeBody keypoints; camera distance '
         'test_dataloader.dataset.camera.depth_range, logged with the '
         'config: 1.3-2 m close shots unless overridden)')
val_evaluator = [dict(m, data_description=_data)
                 for m in _base_.wholebody_metrics]
test_evaluator = val_evaluator
