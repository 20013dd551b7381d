# CRA's auxiliary refinement on unlabelled real images (eq. 7, §4.2): the
# parts shared by configs/cra/r18_cra_refine_smpl*.py, which set the
# training images, their evidence file and the checkpoint to start from.
# Evidence: an annotation file whose keypoints2d are COCO-17 detections
# written by `python tools/detect_keypoints.py` (mediapipe, offline; Keypoint
# R-CNN detections in the same format work too; HumanImageDataset packs them
# as normalised crop keypoints) and whose iuv_path names DensePose's IUV
# image of each frame (the tool's --iuv-dir; LoadIUV, cut with the crop,
# packed as input_iuv).  Without DensePose images, set
# `train_dataloader.dataset.load_iuv=False model.data_preprocessor.with_iuv=False`:
# the joint stream's decoded IUV then stands in (decoded_iuv='missing').
refine_dataloader = dict(
    _delete_=True, batch_size=128, num_workers=8,
    sampler=dict(type='DefaultSampler', shuffle=True),
    collate_fn=dict(type='pseudo_collate'))
refine_dataset = dict(
    type='HumanImageDataset', crop_size=(256, 256), keypoint_convention='coco',
    # the file's boxes are already 1.2x the keypoints' extent, as the
    # synthetic training crop is 1.2x the body's: no further factor (1.2
    # here made the crops 1.44x)
    bbox_scale_factor=1.0, load_iuv=True, test_mode=True)
# L2(ĵ, j) + D_M(M̂, M) of Θ_final against the detected evidence (no
# ground truth is read); Adam 1e-6, ten epochs at batch 128
refine_model = dict(
    data_preprocessor=dict(_delete_=True, type='DetectedEvidencePreprocessor',
                           heatmap_size=256, sigma=4.0, with_iuv=True),
    losses=dict(_delete_=True,
                refine_keypoints2d=dict(type='KeypointMSELoss'),
                refine_iuv=dict(type='IUVAlignmentLoss')),
    uncertainty=None)
refine_optim_wrapper = dict(optimizer=dict(lr=1e-6))
refine_train_cfg = dict(_delete_=True, type='EpochBasedTrainLoop',
                        max_epochs=10)
refine_hooks = dict(checkpoint=dict(by_epoch=True, interval=1))
refine_checkpoint = 'work_dirs/r18_cra_smpl/iter_70000.pth'
refine_checkpoint_required = dict(
    path=refine_checkpoint, what='synthetic-trained CRA checkpoint',
    how='train configs/cra/r18_cra_smpl.py first (or set load_from with '
        '--cfg-options)')
