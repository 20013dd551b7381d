# Table 1, "Ours - uncertainty - T_IQR", paper setting: the original depth
# maps as input and pseudo ground truth (no IQR trimming).
_base_ = ['../r18_selfsup_depth_smpl.py']
model = dict(data_preprocessor=dict(depth_iqr_trim=False),
             self_consistency=dict(reliability=None))
