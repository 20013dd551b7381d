# The setting of PyMAF's ablations (§4.3): trained and tested on
# Human3.6M.  The full method; every other file here changes one thing.
_base_ = ['../r50_pymaf.py']
required_data = dict(files=[
    dict(path='data/preprocessed/h36m_train.npz',
         what='Human3.6M training annotations (S1, S5-S8)',
         how='convert the official release with `python '
             'tools/convert_datasets.py --dataset h36m` '
             '(docs/data_preparation.md)'),
    dict(path='data/preprocessed/h36m_valid_protocol2.npz',
         what='Human3.6M test set, protocol 2 (S9, S11, front camera)',
         how='convert the official release with `python '
             'tools/convert_datasets.py --dataset h36m` '
             '(docs/data_preparation.md)')])
train_dataloader = dict(dataset=dict(
    _delete_=True, type='HumanImageDataset', crop_size=(224, 224),
    ann_file='data/preprocessed/h36m_train.npz', test_mode=False))
val_dataloader = dict(dataset=dict(
    ann_file='data/preprocessed/h36m_valid_protocol2.npz'))
test_dataloader = val_dataloader
val_evaluator = dict(data_description='Human3.6M protocol 2')
test_evaluator = val_evaluator
