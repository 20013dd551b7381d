# Table 3, row 1: fusion weights from the features alone (h_n + NULL).
_base_ = ['./r50_cliff_coco.py']
model = dict(neck=dict(encoding='none'))
