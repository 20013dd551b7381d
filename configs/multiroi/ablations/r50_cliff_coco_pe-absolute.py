# Table 3, row 2: absolute positional encoding gamma(B_n), L = 32.
_base_ = ['./r50_cliff_coco.py']
model = dict(neck=dict(encoding='absolute'))
