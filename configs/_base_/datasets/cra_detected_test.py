# CRA tested as its paper tests (§4.2 "Testing"): the inputs are drawn
# from COCO-17 2D joints *detected* on the test images inside each row's
# person box (tools/detect_keypoints.py: mediapipe, offline; Keypoint R-CNN
# detections written as keypoints2d_detected work the same), never from
# the ground truth; the IUV stream reads the IUV decoded from the joint
# stream (no DensePose here; see r18_cra_smpl_pw3d-detected-test.py for
# DensePose IUV images).  Shared by configs/cra/r18_cra_smpl_*-detected-
# test.py, which set the annotation file, image root, keypoints and
# evaluator; test only.  Detected files: the converted test file with
# `_detected` before `.npz`, made by
#   python tools/detect_keypoints.py IMAGE_ROOT --ann-file CONVERTED \
#       --out DETECTED
detected_test_dataset = dict(
    type='HumanImageDataset', crop_size=(256, 256),
    # the file's boxes are already 1.2x the keypoints' extent, as the
    # synthetic training crop is 1.2x the body's: no further factor
    bbox_scale_factor=1.0, test_mode=True)
detected_test_dataloader = dict(
    batch_size=32, num_workers=8,
    sampler=dict(type='DefaultSampler', shuffle=False))
# heatmaps of the detections (packed as det_keypoints2d), never of the
# ground truth; no IUV channels
detected_preprocessor = dict(
    type='DetectedEvidencePreprocessor', keypoints_key='det_keypoints2d',
    heatmap_size=256, sigma=4.0, with_iuv=False)
# mocap test sets (Human3.6M, MPI-INF-3DHP): the 3D ground truth needs
# smpl_54's joints, so the dataset keeps them and the detections are
# converted to the COCO-17 the model reads before they are drawn
detected_mocap_dataset = dict(
    detected_test_dataset, keypoint_convention='smpl_54',
    required=('keypoints3d', 'keypoints2d_detected'))
detected_mocap_model = dict(data_preprocessor=dict(
    detected_preprocessor, _delete_=True, input_convention='coco',
    packed_convention='smpl_54'))
