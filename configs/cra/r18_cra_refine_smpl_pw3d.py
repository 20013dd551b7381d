# CRA's auxiliary refinement (eq. 7, §4.2) on the 3DPW training images,
# before testing on 3DPW: as r18_cra_refine_smpl.py (Human3.6M) with
# this dataset's frames and evidence (the format and the shared settings:
# configs/_base_/datasets/cra_refinement.py).
#   python tools/train.py configs/cra/r18_cra_refine_smpl_pw3d.py
_base_ = ['./r18_cra_smpl.py', '../_base_/datasets/cra_refinement.py']
_images = 'data/datasets/pw3d'
_detections = 'data/preprocessed/cra/pw3d_train_keypoint_rcnn.npz'
load_from = _base_.refine_checkpoint
required_data = dict(files=[
    _base_.refine_checkpoint_required,
    dict(path=_detections,
         what='COCO-17 2D keypoint detections and DensePose IUV images of '
              'the 3DPW training frames (keypoints2d, iuv_path)',
         how=f'python tools/detect_keypoints.py {_images} --out '
             f'{_detections} --iuv-dir DIR --image-list LIST, as for '
             'configs/cra/r18_cra_refine_smpl.py (docs/data_preparation.md)')])
train_dataloader = dict(
    _base_.refine_dataloader,
    dataset=dict(_base_.refine_dataset, ann_file=_detections,
                 data_prefix=dict(img_path=_images)))
model = _base_.refine_model
optim_wrapper = _base_.refine_optim_wrapper
train_cfg = _base_.refine_train_cfg
default_hooks = _base_.refine_hooks
val_dataloader = val_cfg = val_evaluator = None
test_dataloader = test_cfg = test_evaluator = None
