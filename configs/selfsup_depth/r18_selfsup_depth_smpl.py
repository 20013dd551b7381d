# The joints+depth method in its paper's setting (001_01caa0c91b604013.txt):
# SMPL (licensed files under data/body_models), trained on the images of
# 3DPW (train) and UP-3D (trainval) with *no* 2D / 3D annotation reaching
# the loss: the input and pseudo ground truth are COCO-17 joints detected in
# each person box and a depth estimator's map of each image; validated and
# tested on 3DPW test from the same kind of evidence (MPJPE / PA-MPJPE);
# r18_selfsup_depth_smpl_h36m-test.py tests on Human3.6M protocol 2.
# Without the files it stops at once, naming each and the embedded variant
# configs/selfsup_depth/r18_selfsup_depth_anny.py.
#
# Evidence files (docs/data_preparation.md, "Depth maps"): convert each
# dataset, run your depth estimator on its images (one map per image, same
# size, .npy float or 16-bit .png, 0 = no value, under a folder mirroring
# the image tree), then attach detections and depth to the rows:
#   python tools/convert_datasets.py --dataset 3dpw --root data/datasets/pw3d --split train
#   python tools/detect_keypoints.py data/datasets/pw3d \
#       --ann-file data/preprocessed/pw3d_train.npz \
#       --depth-dir data/depth/pw3d \
#       --out data/preprocessed/pw3d_train_selfsup.npz
# (the same for up3d_trainval and pw3d_test).  The pose prior is trained on
# AMASS first: configs/selfsup_depth/pose_prior_aae_amass.py.
#
# Paper settings kept: ResNet-18 on K+1 = 18 channels, FC 512 x 2, 48
# outputs (SMPL's 10 betas), frozen 32-D prior, weak perspective, alpha_j 1,
# alpha_d 0.04, reliability MLP 128-64-12, Adam 1e-5, batch 64, beta prior
# after 10 epochs.  Not given by the paper (hmrzoo's choices, stated): the
# input size (64, as the embedded variant), the number of epochs (30), the
# beta prior's weight (0.01) and the points per bone (10).
#   python tools/train.py configs/selfsup_depth/r18_selfsup_depth_smpl.py
_base_ = ['./r18_selfsup_depth_anny.py',
          '../_base_/evaluation/protocols.py']
body_model = dict(_delete_=True, type='SMPL', model_path='data/body_models',
                  gender='neutral',
                  extra_joints_regressor='data/body_models/'
                                         'J_regressor_extra.npy')
num_betas = 10
_files = dict(
    pw3d_train=('pw3d_train', 'pw3d', '3dpw', 'train'),
    up3d=('up3d_trainval', 'up3d', 'up3d', 'trainval'),
    pw3d_test=('pw3d_test', 'pw3d', '3dpw', 'test'))
_ann = {k: f'data/preprocessed/{n}_selfsup.npz'
        for k, (n, _, _, _) in _files.items()}
required_data = dict(
    body_models=[('smpl', 'neutral'), ('smpl', 'male'), ('smpl', 'female'),
                 ('J_regressor_extra', None), ('J_regressor_h36m', None)],
    files=[dict(path=_ann[k],
                what=f'{n} annotations with COCO-17 joints detected in '
                     'each person box (keypoints2d_detected) and a depth '
                     'map per image (depth_path)',
                how=f'`python tools/convert_datasets.py --dataset {d} '
                    f'--root data/datasets/{root} --split {s}`, then '
                    f'`python tools/detect_keypoints.py data/datasets/{root}'
                    f' --ann-file data/preprocessed/{n}.npz --depth-dir '
                    f'data/depth/{root} --out {_ann[k]}` '
                    '(docs/data_preparation.md, "Depth maps")')
           for k, (n, root, d, s) in _files.items()] + [
        dict(path='work_dirs/pose_prior_aae_amass/last_checkpoint',
             what='the pose prior trained on AMASS',
             how='`python tools/train.py configs/selfsup_depth/'
                 'pose_prior_aae_amass.py`')],
    embedded_variant='configs/selfsup_depth/r18_selfsup_depth_anny.py')

_crop = (64, 64)
_real = dict(type='HumanImageDataset', crop_size=_crop,
             keypoint_convention='coco', bbox_scale_factor=1.2,
             load_depth=True, required=('keypoints2d_detected', ))
train_dataloader = dict(
    _delete_=True, batch_size=64, num_workers=4,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(type='ConcatDataset', datasets=[
        dict(_real, ann_file=_ann['pw3d_train'],
             data_prefix=dict(img_path='data/datasets/pw3d')),
        dict(_real, ann_file=_ann['up3d'],
             data_prefix=dict(img_path='data/datasets/up3d'))]))
val_dataloader = dict(
    _delete_=True, batch_size=64, num_workers=4,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(_real, ann_file=_ann['pw3d_test'], test_mode=True,
                 data_prefix=dict(img_path='data/datasets/pw3d')))
test_dataloader = val_dataloader

model = dict(
    # heatmaps of the detections (packed as det_keypoints2d) and the trimmed
    # depth map, never the ground truth
    data_preprocessor=dict(_delete_=True, type='DetectedEvidencePreprocessor',
                           keypoints_key='det_keypoints2d', heatmap_size=64,
                           sigma=2.0, with_iuv=False, with_depth=True,
                           depth_iqr_trim=True, depth_scale=0.5,
                           input_convention='coco'),
    head=dict(pose_decoder=dict(
        checkpoint='work_dirs/pose_prior_aae_amass')),
    self_consistency=dict(betas_after_iter=4700),
    body_model=body_model)
# 3DPW train (about 22.7k crops) + UP-3D trainval (about 7.1k) at batch 64:
# about 470 iterations per epoch; 10 epochs before the beta prior
# (betas_after_iter above), 30 in all
optim_wrapper = dict(optimizer=dict(type='Adam', lr=1e-5))
train_cfg = dict(max_iters=14000, val_interval=2000)
default_hooks = dict(checkpoint=dict(interval=2000))
val_evaluator = dict(
    _base_.pw3d_evaluator, _delete_=True,
    data_description='3DPW test (gendered SMPL ground truth, 14 LSP '
                     'joints); inputs: COCO-17 joints detected in each '
                     'person box and the depth maps of depth_path')
test_evaluator = val_evaluator
