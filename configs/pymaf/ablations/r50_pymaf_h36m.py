# The setting of PyMAF's ablations (§4.3): trained and tested on
# Human3.6M.  The full method; every other file here changes one thing.
_base_ = ['../r50_pymaf.py']
required_data = dict(files=[_base_.paper_required['h36m'],
                            _base_.paper_required['h36m_p2']])
train_dataloader = dict(dataset=dict(
    _delete_=True, type='HumanImageDataset', crop_size=(224, 224),
    keypoint_convention='smpl_54', test_mode=False,
    **_base_.paper_sources['h36m']))
val_dataloader = dict(dataset=dict(_base_.paper_sources['h36m_p2'],
                                   required=('keypoints3d', ),
                                   test_mode=True))
test_dataloader = val_dataloader
# SPIN / PyMAF's Human3.6M protocol 2: 14 joints regressed from the mesh,
# pelvis-centred, against the mocap joints (_base_/evaluation/protocols.py)
val_evaluator = dict(_base_.h36m_p2_evaluator, _delete_=True)
test_evaluator = val_evaluator
