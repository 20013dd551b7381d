# Table 4, row 3: grid features of the finest map, one shared regressor,
# no pyramid, no auxiliary supervision.
_base_ = ['./r50_pymaf_h36m.py']
model = dict(feedback='grid', pyramid=False, iuv_head=None, losses=dict(iuv=None))
