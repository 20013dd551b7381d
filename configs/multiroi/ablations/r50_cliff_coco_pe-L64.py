# Table 3, row 5: relative encoding with L = 64.
_base_ = ['./r50_cliff_coco.py']
model = dict(neck=dict(num_freqs=64))
