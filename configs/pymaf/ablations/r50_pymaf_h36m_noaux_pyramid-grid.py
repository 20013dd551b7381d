# Table 4, row 5: grid features from the pyramid, one regressor per level,
# no auxiliary supervision.
_base_ = ['./r50_pymaf_h36m.py']
model = dict(feedback='grid', iuv_head=None, losses=dict(iuv=None))
