# Table 5: part-segmentation supervision, and point features sampled from
# the predicted part probabilities on each level.
_base_ = ['./r50_pymaf_h36m_aux-parts.py']
model = dict(point_input='parts')
