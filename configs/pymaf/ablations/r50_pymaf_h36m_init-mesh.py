# Table 6, row 1: mesh-aligned features of the mean-pose mesh at t = 0
# instead of the grid.
_base_ = ['./r50_pymaf_h36m.py']
model = dict(init_feature='mesh')
