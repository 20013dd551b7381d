# CRA's auxiliary refinement on unlabelled real images (eq. 7) of the
# Human3.6M training set: from a synthetic-trained checkpoint, Adam 1e-6
# for ten epochs at batch 128, with the loss L2(ĵ, j) + D_M(M̂, M) of
# Θ_final against the detected evidence (no ground truth is read); the
# shared parts and the evidence format are in
# configs/_base_/datasets/cra_refinement.py.  3DPW's and MPI-INF-3DHP's
# training images: r18_cra_refine_smpl_pw3d.py, ..._mpi-inf-3dhp.py.
# Without the files it stops at once, naming them.
#   python tools/train.py configs/cra/r18_cra_refine_smpl.py
_base_ = ['./r18_cra_smpl.py', '../_base_/datasets/cra_refinement.py']
_detections = 'data/preprocessed/cra/h36m_train_keypoint_rcnn.npz'
load_from = _base_.refine_checkpoint
required_data = dict(
    files=[_base_.refine_checkpoint_required,
           dict(path=_detections,
                what='COCO-17 2D keypoint detections and DensePose IUV '
                     'images of the Human3.6M training frames (hmrzoo '
                     'annotation format: keypoints2d, iuv_path)',
                how='python tools/detect_keypoints.py data/datasets/h36m '
                    '--out data/preprocessed/cra/h36m_train_keypoint_rcnn.npz '
                    '--iuv-dir DIR (DIR: DensePose IUV images, '
                    '<subfolder>/<frame>_IUV.png) --image-list LIST '
                    "(LIST: the training frames, paths relative to the "
                    "config's data_prefix, one per line). "
                    'Keypoint R-CNN COCO-17 detections written in the same '
                    'format work too (docs/data_preparation.md)')])
train_dataloader = dict(
    _base_.refine_dataloader,
    dataset=dict(_base_.refine_dataset, ann_file=_detections,
                 data_prefix=dict(img_path='data/datasets/h36m')))
model = _base_.refine_model
optim_wrapper = _base_.refine_optim_wrapper
train_cfg = _base_.refine_train_cfg
default_hooks = _base_.refine_hooks
# The synthetic validation set has no detections to build inputs from, and
# the real test sets need detected evidence too: no validation or test here.
val_dataloader = val_cfg = val_evaluator = None
test_dataloader = test_cfg = test_evaluator = None
