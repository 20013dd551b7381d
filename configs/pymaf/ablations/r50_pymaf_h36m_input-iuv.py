# Table 5: the regressors read point features sampled from the auxiliary
# dense-correspondence prediction (part probabilities, U, V) on each level
# instead of the feature maps.
_base_ = ['./r50_pymaf_h36m.py']
model = dict(point_input='iuv')
