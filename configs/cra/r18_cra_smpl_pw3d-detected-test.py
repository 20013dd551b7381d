# CRA (SMPL) tested on 3DPW as its paper tests: the inputs are drawn from
# 2D joints *detected* on the test images (not the ground truth), scored
# with the 3DPW protocol (14 LSP joints regressed with J_regressor_h36m,
# pelvis-centred, gendered SMPL ground truth; MPJPE / PA-MPJPE / PVE /
# MPJPE-SC).  Training is that of r18_cra_smpl.py; this config only tests.
#   python tools/convert_datasets.py --dataset 3dpw \
#       --root data/datasets/pw3d --split test
#   python tools/detect_keypoints.py data/datasets/pw3d \
#       --ann-file data/preprocessed/pw3d_test.npz \
#       --out data/preprocessed/pw3d_test_detected.npz
#   python tools/test.py configs/cra/r18_cra_smpl_pw3d-detected-test.py CKPT
# The detector (mediapipe, offline) runs inside each row's person box, so
# in multi-person frames it finds that row's person; rows where it finds
# nobody keep confidence 0 (empty heatmaps) and still count.  Keypoint
# R-CNN COCO-17 detections written as keypoints2d_detected work the same.
#
# IUV: here the IUV stream reads the IUV decoded from the joint stream
# (with_iuv=False, decoded_iuv='missing').  With DensePose IUV images of
# the frames (DIR/<subfolder>/<frame>_IUV.png), add `--iuv-dir DIR` to the
# detect_keypoints.py command (it fills iuv_path) and test with
#   --cfg-options test_dataloader.dataset.load_iuv=True \
#       model.data_preprocessor.with_iuv=True
_base_ = ['./r18_cra_smpl.py', '../_base_/evaluation/protocols.py',
          '../_base_/datasets/cra_detected_test.py']
# the 3DPW test file of configs/_base_/datasets/paper_data_files.py
# (`pw3d`) with the detections added; images under its image root
_converted = 'data/preprocessed/pw3d_test.npz'
_detected = 'data/preprocessed/pw3d_test_detected.npz'
_image_root = 'data/datasets/pw3d'
required_data = dict(
    body_models=[('smpl', 'neutral'), ('smpl', 'male'), ('smpl', 'female'),
                 ('J_regressor_extra', None), ('J_regressor_h36m', None),
                 ('smpl_mean_params', None)],
    files=[dict(path=_detected,
                what='3DPW test annotations with COCO-17 2D keypoints '
                     'detected in each person box (keypoints2d_detected)',
                how='`python tools/detect_keypoints.py data/datasets/pw3d '
                    f'--ann-file {_converted} --out {_detected}` on the '
                    'converted 3DPW test file (made by `python '
                    'tools/convert_datasets.py --dataset 3dpw --root '
                    'data/datasets/pw3d --split test`; '
                    'docs/data_preparation.md)')])
test_dataloader = dict(
    _base_.detected_test_dataloader, _delete_=True,
    dataset=dict(_base_.detected_test_dataset, ann_file=_detected,
                 data_prefix=dict(img_path=_image_root),
                 keypoint_convention='coco',
                 required=('has_smpl', 'keypoints2d_detected')))
model = dict(data_preprocessor=dict(_base_.detected_preprocessor,
                                    _delete_=True))
test_cfg = dict(type='TestLoop')
test_evaluator = dict(
    _base_.pw3d_evaluator, _delete_=True,
    data_description='3DPW test (gendered SMPL ground truth, 14 LSP '
                     'joints); inputs: COCO-17 joints detected in each '
                     'person box (mediapipe), IUV decoded from them')
# Test only: the detected-evidence preprocessor has nothing to read in the
# synthetic training and validation data of the base (train with
# r18_cra_smpl.py, then test its checkpoint here).
train_dataloader = train_cfg = optim_wrapper = param_scheduler = None
val_dataloader = val_cfg = val_evaluator = None
