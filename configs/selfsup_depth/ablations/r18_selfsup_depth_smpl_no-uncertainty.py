# Table 1, "Ours - uncertainty", paper setting: the unweighted depth loss
# (eq. 6) instead of eq. 7; no reliability MLP.
_base_ = ['../r18_selfsup_depth_smpl.py']
model = dict(self_consistency=dict(reliability=None))
