# Table 4, row 7 (the method): {R1 R2} x 2 and R_fuse fed with both
# misalignments of both estimates (D_J, D_M), no decoder.
_base_ = ['../r18_cra_anny.py', '../../_base_/models/cra_ablations.py']
model = _base_.cra_r1r2_fuse_both
