# Table 4, row 2, "Global": the backbone's 2048-d global feature (as the
# Baseline reads it) fed back at every iteration, one shared regressor
# with every iteration supervised (unlike the Baseline), no pyramid, no
# auxiliary supervision.
_base_ = ['./r50_pymaf_h36m.py']
model = dict(feedback='global', global_feature='backbone', pyramid=False,
             iuv_head=None, losses=dict(iuv=None))
