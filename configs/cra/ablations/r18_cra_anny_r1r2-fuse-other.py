# Table 4, row 6: {R1 R2} x 2 and R_fuse fed with each estimate's
# misalignment with the *other* representation (the joint stream's D_M,
# the IUV stream's D_J), no decoder.
_base_ = ['../r18_cra_anny.py', '../../_base_/models/cra_ablations.py']
model = _base_.cra_r1r2_fuse_other
