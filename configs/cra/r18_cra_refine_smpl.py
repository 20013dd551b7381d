# CRA's auxiliary refinement on unlabelled real images (eq. 7): from a
# synthetic-trained checkpoint, Adam 1e-6 for ten epochs at batch 128 on the
# training images of the test dataset, with the loss L2(ĵ, j) + D_M(M̂, M)
# of Θ_final against the detected evidence (no ground truth is read).
# Evidence: an annotation file whose keypoints2d are COCO-17 detections
# written by `python tools/detect_keypoints.py` (mediapipe, offline; Keypoint
# R-CNN detections in the same format work too; HumanImageDataset packs them
# as normalised crop keypoints) and whose iuv_path names DensePose's IUV
# image of each frame (the tool's --iuv-dir; LoadIUV, cut with the crop,
# packed as input_iuv).  Without DensePose images, set
# `train_dataloader.dataset.load_iuv=False model.data_preprocessor.with_iuv=False`:
# the joint stream's decoded IUV then stands in (decoded_iuv='missing').
# Without the files it stops at once, naming them.
#   python tools/train.py configs/cra/r18_cra_refine_smpl.py
_base_ = ['./r18_cra_smpl.py']
_checkpoint = 'work_dirs/r18_cra_smpl/iter_70000.pth'
_detections = 'data/preprocessed/cra/h36m_train_keypoint_rcnn.npz'
load_from = _checkpoint
required_data = dict(
    files=[dict(path=_checkpoint, what='synthetic-trained CRA checkpoint',
                how='train configs/cra/r18_cra_smpl.py first (or set '
                    'load_from with --cfg-options)'),
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
    _delete_=True, batch_size=128, num_workers=8,
    sampler=dict(type='DefaultSampler', shuffle=True),
    collate_fn=dict(type='pseudo_collate'),
    dataset=dict(type='HumanImageDataset', ann_file=_detections,
                 data_prefix=dict(img_path='data/datasets/h36m'),
                 crop_size=(256, 256), keypoint_convention='coco',
                 # the file's boxes are already 1.2x the keypoints' extent,
                 # as the synthetic training crop is 1.2x the body's: no
                 # further factor (1.2 here made the crops 1.44x)
                 bbox_scale_factor=1.0, load_iuv=True, test_mode=True))
model = dict(
    data_preprocessor=dict(_delete_=True, type='DetectedEvidencePreprocessor',
                           heatmap_size=256, sigma=4.0, with_iuv=True),
    losses=dict(_delete_=True,
                refine_keypoints2d=dict(type='KeypointMSELoss'),
                refine_iuv=dict(type='IUVAlignmentLoss')),
    uncertainty=None)
optim_wrapper = dict(optimizer=dict(lr=1e-6))
train_cfg = dict(_delete_=True, type='EpochBasedTrainLoop', max_epochs=10)
default_hooks = dict(checkpoint=dict(by_epoch=True, interval=1))
# The synthetic validation set has no detections to build inputs from, and
# the real test sets need detected evidence too: no validation or test here.
val_dataloader = None
val_cfg = None
val_evaluator = None
test_dataloader = None
test_cfg = None
test_evaluator = None
