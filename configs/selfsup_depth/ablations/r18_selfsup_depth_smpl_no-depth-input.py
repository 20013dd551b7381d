# Table 1, "Ours - depth input", paper setting: the 17 joint heatmaps only
# as input; the losses are unchanged (the depth map is still read).
_base_ = ['../r18_selfsup_depth_smpl.py']
model = dict(data_preprocessor=dict(depth_input=False))
