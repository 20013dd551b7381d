# Table 1, "Ours - uncertainty": the unweighted depth loss (eq. 6) instead
# of the reliability-weighted one (eq. 7); no reliability MLP.
_base_ = ['../r18_selfsup_depth_anny.py']
model = dict(self_consistency=dict(reliability=None))
