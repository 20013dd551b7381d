# Table 4, row 2: global features of the finest map fed back, one shared
# regressor, no pyramid, no auxiliary supervision.
_base_ = ['./r50_pymaf_h36m.py']
model = dict(feedback='global', pyramid=False, iuv_head=None, losses=dict(iuv=None))
