# Table 5: part-segmentation supervision, and the feature maps masked with
# the predicted foreground before sampling (75.5 -> 77.6 mm MPJPE in the
# paper).
# Extends r50_pymaf_h36m_aux-parts.py: inherits its base r50_pymaf_h36m.py
# and repeats its one change (uv_weight=0., the part-index term alone).
_base_ = ['./r50_pymaf_h36m.py']
model = dict(mask_features=True, losses=dict(iuv=dict(uv_weight=0.)))
