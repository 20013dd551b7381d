# Table 5: part-segmentation supervision, and the feature maps masked with
# the predicted foreground before sampling (75.5 -> 77.6 mm MPJPE in the
# paper).
_base_ = ['./r50_pymaf_h36m_aux-parts.py']
model = dict(mask_features=True)
