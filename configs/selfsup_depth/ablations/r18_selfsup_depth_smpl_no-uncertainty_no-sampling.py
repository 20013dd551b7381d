# Table 1, "Ours - uncertainty - sampling", paper setting: the depth loss on
# every pixel valid in both maps instead of the points along the bones.
_base_ = ['../r18_selfsup_depth_smpl.py']
model = dict(self_consistency=dict(depth='dense', reliability=None))
