# Table 1, "Ours - uncertainty - sampling": self-supervised on the depth
# maps directly (every pixel where input and rendered depth both have a
# value) instead of the depth points along the bones; no reliability.
_base_ = ['../r18_selfsup_depth_anny.py']
model = dict(self_consistency=dict(depth='dense', reliability=None))
