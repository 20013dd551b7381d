# Table 5: part-segmentation supervision, and point features sampled from
# the predicted part probabilities on each level.
# Extends r50_pymaf_h36m_aux-parts.py: inherits its base r50_pymaf_h36m.py
# and repeats its one change (uv_weight=0., the part-index term alone).
_base_ = ['./r50_pymaf_h36m.py']
model = dict(point_input='parts', losses=dict(iuv=dict(uv_weight=0.)))
