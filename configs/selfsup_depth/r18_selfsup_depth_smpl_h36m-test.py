# The SMPL joints+depth model tested on Human3.6M protocol 2 (S9, S11,
# frontal camera; PA-MPJPE), from detected joints and depth maps of the test
# frames, as Table 3 of the paper.  Train with r18_selfsup_depth_smpl.py.
#   python tools/detect_keypoints.py data/datasets/h36m \
#       --ann-file data/preprocessed/h36m_valid_protocol2.npz \
#       --depth-dir data/depth/h36m \
#       --out data/preprocessed/h36m_valid_protocol2_selfsup.npz
#   python tools/test.py configs/selfsup_depth/r18_selfsup_depth_smpl_h36m-test.py CKPT
_base_ = ['./r18_selfsup_depth_smpl.py']
_ann = 'data/preprocessed/h36m_valid_protocol2_selfsup.npz'
required_data = dict(
    _delete_=True,
    body_models=[('smpl', 'neutral'), ('J_regressor_extra', None),
                 ('J_regressor_h36m', None)],
    files=[dict(path=_ann,
                what='Human3.6M protocol-2 test annotations with detected '
                     'COCO-17 joints and depth maps',
                how='`python tools/convert_datasets.py --dataset h36m '
                    '--root data/datasets/h36m --split test --options '
                    'protocol=2`, then `python tools/detect_keypoints.py '
                    'data/datasets/h36m --ann-file data/preprocessed/'
                    'h36m_valid_protocol2.npz --depth-dir data/depth/h36m '
                    f'--out {_ann}`')],
    embedded_variant='configs/selfsup_depth/r18_selfsup_depth_anny.py')
test_dataloader = dict(dataset=dict(
    ann_file=_ann, data_prefix=dict(img_path='data/datasets/h36m')))
test_evaluator = dict(
    _base_.h36m_p2_evaluator, _delete_=True,
    data_description='Human3.6M protocol 2 (S9, S11, camera 60457274); '
                     'inputs: detected COCO-17 joints and depth maps')
train_dataloader = None
train_cfg = None
optim_wrapper = None
param_scheduler = None
val_dataloader = None
val_cfg = None
val_evaluator = None
