# Table 5: auxiliary part-segmentation supervision instead of dense
# correspondences (the part-index term of eq. 4 alone).
_base_ = ['./r50_pymaf_h36m.py']
model = dict(losses=dict(iuv=dict(uv_weight=0.)))
