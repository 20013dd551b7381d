# The setting of PyMAF's ablations (§4.3): trained and tested on
# Human3.6M.  The full method; every other file here changes one thing.
_base_ = ['../r50_pymaf.py']
_h36m = ('`python tools/convert_datasets.py --dataset h36m --root '
         'data/datasets/h36m --split {}` (docs/data_preparation.md)')
required_data = dict(files=[
    dict(path='data/preprocessed/h36m_train.npz',
         what='Human3.6M training annotations (S1, S5-S8)',
         how=_h36m.format('train')),
    dict(path='data/preprocessed/h36m_valid_protocol2.npz',
         what='Human3.6M test set, protocol 2 (S9, S11, front camera)',
         how=_h36m.format('test --options protocol=2'))])
train_dataloader = dict(dataset=dict(
    _delete_=True, type='HumanImageDataset', crop_size=(224, 224),
    keypoint_convention='smpl_54', data_prefix='data/datasets/h36m',
    ann_file='data/preprocessed/h36m_train.npz', test_mode=False))
val_dataloader = dict(dataset=dict(
    ann_file='data/preprocessed/h36m_valid_protocol2.npz',
    data_prefix='data/datasets/h36m', required=('keypoints3d',)))
test_dataloader = val_dataloader
# SPIN / PyMAF's Human3.6M protocol 2: 14 joints regressed from the mesh,
# pelvis-centred, against the mocap joints (_base_/evaluation/protocols.py)
val_evaluator = dict(_base_.h36m_p2_evaluator, _delete_=True)
test_evaluator = val_evaluator
