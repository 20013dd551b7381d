# Table 2, row 1: none of the three components (5 RoIs, no fusion, SPIN
# losses only).
_base_ = ['./r50_cliff_coco.py']
model = dict(neck=None, losses=dict(camera_consistency=None,
                                    contrastive=None))
