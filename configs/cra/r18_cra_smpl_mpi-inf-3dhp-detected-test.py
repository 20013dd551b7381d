# CRA (SMPL) tested on MPI-INF-3DHP as its paper tests (Table 3): COCO-17
# joints detected on the test images (not the ground truth) as input; PCK
# at 150 mm, AUC and PA-MPJPE after rigid alignment on the 17 test joints
# (univ_annot3), with the unaligned ones alongside.
#   python tools/convert_datasets.py --dataset mpi_inf_3dhp \
#       --root data/datasets/mpi_inf_3dhp --split test
#   python tools/detect_keypoints.py data/datasets/mpi_inf_3dhp \
#       --ann-file data/preprocessed/mpi_inf_3dhp_test.npz \
#       --out data/preprocessed/mpi_inf_3dhp_test_detected.npz
#   python tools/test.py \
#       configs/cra/r18_cra_smpl_mpi-inf-3dhp-detected-test.py CKPT
# Training is that of r18_cra_smpl.py; this config only tests.
_base_ = ['./r18_cra_smpl.py', '../_base_/evaluation/protocols.py',
          '../_base_/datasets/cra_detected_test.py']
_converted = 'data/preprocessed/mpi_inf_3dhp_test.npz'
_detected = 'data/preprocessed/mpi_inf_3dhp_test_detected.npz'
_image_root = 'data/datasets/mpi_inf_3dhp'
required_data = dict(files=[dict(
    path=_detected,
    what='MPI-INF-3DHP test annotations with COCO-17 2D keypoints '
         'detected in each person box (keypoints2d_detected)',
    how=f'`python tools/detect_keypoints.py {_image_root} --ann-file '
        f'{_converted} --out {_detected}` on the converted test file (made '
        'by `python tools/convert_datasets.py --dataset mpi_inf_3dhp --root '
        'data/datasets/mpi_inf_3dhp --split test`; '
        'docs/data_preparation.md)')])
test_dataloader = dict(
    _base_.detected_test_dataloader, _delete_=True,
    dataset=dict(_base_.detected_mocap_dataset, ann_file=_detected,
                 data_prefix=dict(img_path=_image_root)))
model = _base_.detected_mocap_model
test_cfg = dict(type='TestLoop')
test_evaluator = dict(
    _base_.mpi_inf_3dhp_evaluator, _delete_=True,
    data_description='MPI-INF-3DHP test (17 joints, univ_annot3); inputs: '
                     'COCO-17 joints detected in each person box '
                     '(mediapipe), IUV decoded from them')
train_dataloader = train_cfg = optim_wrapper = param_scheduler = None
val_dataloader = val_cfg = val_evaluator = None
