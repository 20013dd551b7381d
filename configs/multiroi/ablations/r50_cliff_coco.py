# The setting of Multi-RoI's ablations (§4.4): the full method trained on
# COCO only and tested on 3DPW (last row of Tables 2 and 3, 5 RoIs in
# Table 4).  Every other file here changes one component of it.  "The COCO
# training dataset ... following previous literature": COCO 2014 with EFT's
# pseudo-ground-truth SMPL fits (raw COCO has 2D keypoints only, which
# would leave every mesh loss without a target).
_base_ = ['../r50_cliff.py']
required_data = dict(files=[_base_.paper_required[k]
                            for k in ('eft_coco', 'pw3d')])
train_dataloader = dict(dataset=dict(
    _delete_=True, type='HumanImageDataset', crop_size=(192, 256),
    num_rois=5, rotate=False, keypoint_convention='smpl_54',
    test_mode=False, **_base_.paper_sources['eft_coco']))
