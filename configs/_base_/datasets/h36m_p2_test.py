# Human3.6M protocol 2 test set (S9, S11, frontal camera 60457274, every
# 5th frame): the second benchmark of the SMPL paper configs.  A child
# config takes these pieces, e.g.
#   required_data = dict(files=_base_.required_data.files
#                        + [_base_.h36m_p2_file])
#   test_dataloader = dict(dataset=_base_.h36m_p2_dataset)
#   test_evaluator = dict(_base_.h36m_p2_evaluator, _delete_=True)
h36m_p2_file = dict(
    path='data/preprocessed/h36m_valid_protocol2.npz',
    what='Human3.6M test set, protocol 2 (S9, S11, front camera)',
    how='`python tools/convert_datasets.py --dataset h36m --root '
        'data/datasets/h36m --split test --options protocol=2` '
        '(docs/data_preparation.md)')
h36m_p2_dataset = dict(
    ann_file='data/preprocessed/h36m_valid_protocol2.npz',
    data_prefix='data/datasets/h36m', required=('keypoints3d', ),
    test_mode=True)
