# The setting of PyMAF's ablations (§4.3): trained and tested on
# Human3.6M.  The full method; every other file here changes one thing.
_base_ = ['../r50_pymaf.py', '../../_base_/datasets/h36m_p2_test.py']
required_data = dict(files=[
    dict(path='data/preprocessed/h36m_train.npz',
         what='Human3.6M training annotations (S1, S5-S8)',
         how='`python tools/convert_datasets.py --dataset h36m --root '
             'data/datasets/h36m --split train` (docs/data_preparation.md)'),
    _base_.h36m_p2_file])
train_dataloader = dict(dataset=dict(
    _delete_=True, type='HumanImageDataset', crop_size=(224, 224),
    keypoint_convention='smpl_54', data_prefix='data/datasets/h36m',
    ann_file='data/preprocessed/h36m_train.npz', test_mode=False))
val_dataloader = dict(dataset=_base_.h36m_p2_dataset)
test_dataloader = val_dataloader
# SPIN / PyMAF's Human3.6M protocol 2: 14 joints regressed from the mesh,
# pelvis-centred, against the mocap joints (_base_/evaluation/protocols.py)
val_evaluator = dict(_base_.h36m_p2_evaluator, _delete_=True)
test_evaluator = val_evaluator
