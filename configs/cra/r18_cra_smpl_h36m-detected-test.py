# CRA (SMPL) tested on Human3.6M as its paper tests (Table 1): COCO-17
# joints detected on the test images (not the ground truth) as input,
# MPJPE / PA-MPJPE on the H3.6M joints (the file's mocap joints), protocol
# 2 (S9, S11, camera 60457274) here; protocol 1 (all four cameras) with the
# protocol-1 file:
#   python tools/convert_datasets.py --dataset h36m \
#       --root data/datasets/h36m --split test --options protocol=2
#   python tools/detect_keypoints.py data/datasets/h36m \
#       --ann-file data/preprocessed/h36m_valid_protocol2.npz \
#       --out data/preprocessed/h36m_valid_protocol2_detected.npz
#   python tools/test.py configs/cra/r18_cra_smpl_h36m-detected-test.py CKPT
#   (protocol 1: protocol=1 and _protocol1 in the names above, then
#    --cfg-options with the protocol-1 detected file as
#    test_dataloader.dataset.ann_file and required_data.files.0.path, and
#    test_evaluator.data_description naming protocol 1)
# Training is that of r18_cra_smpl.py; this config only tests.
_base_ = ['./r18_cra_smpl.py', '../_base_/evaluation/protocols.py',
          '../_base_/datasets/cra_detected_test.py']
_converted = 'data/preprocessed/h36m_valid_protocol2.npz'
_detected = 'data/preprocessed/h36m_valid_protocol2_detected.npz'
_image_root = 'data/datasets/h36m'
required_data = dict(files=[dict(
    path=_detected,
    what='Human3.6M protocol-2 test annotations with COCO-17 2D keypoints '
         'detected in each person box (keypoints2d_detected)',
    how=f'`python tools/detect_keypoints.py {_image_root} --ann-file '
        f'{_converted} --out {_detected}` on the converted test file (made '
        'by `python tools/convert_datasets.py --dataset h36m --root '
        'data/datasets/h36m --split test --options protocol=2`; '
        'docs/data_preparation.md)')])
test_dataloader = dict(
    _base_.detected_test_dataloader, _delete_=True,
    dataset=dict(_base_.detected_mocap_dataset, ann_file=_detected,
                 data_prefix=dict(img_path=_image_root)))
model = _base_.detected_mocap_model
test_cfg = dict(type='TestLoop')
test_evaluator = dict(
    _base_.h36m_p2_evaluator, _delete_=True,
    data_description='Human3.6M protocol 2 (S9, S11, camera 60457274; '
                     'mocap H3.6M joints); inputs: COCO-17 joints detected '
                     'in each person box (mediapipe), IUV decoded from them')
train_dataloader = train_cfg = optim_wrapper = param_scheduler = None
val_dataloader = val_cfg = val_evaluator = None
