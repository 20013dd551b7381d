# The setting of Multi-RoI's ablations (§4.4): the full method trained on
# COCO only and tested on 3DPW (last row of Tables 2 and 3, 5 RoIs in
# Table 4).  Every other file here changes one component of it.
_base_ = ['../r50_cliff.py']
train_dataloader = dict(dataset=dict(
    _delete_=True, type='HumanImageDataset', crop_size=(192, 256),
    num_rois=5, rotate=False, keypoint_convention='smpl_54',
    test_mode=False, **_base_.paper_sources['coco']))
