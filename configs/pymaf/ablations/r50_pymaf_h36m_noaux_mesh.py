# Table 4, row 4: mesh-aligned features of the finest map (the mean-pose
# mesh at t = 0), one shared regressor, no pyramid, no auxiliary
# supervision.
_base_ = ['./r50_pymaf_h36m.py']
model = dict(feedback='mesh', pyramid=False, init_feature='mesh',
             iuv_head=None, losses=dict(iuv=None))
