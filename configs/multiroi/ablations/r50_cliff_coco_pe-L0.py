# Table 3, row 3: relative encoding of the raw boxes (L = 0).
_base_ = ['./r50_cliff_coco.py']
model = dict(neck=dict(num_freqs=0))
