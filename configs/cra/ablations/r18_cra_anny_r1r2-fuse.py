# Table 4, row 5: two streams with {R1 R2} each, R_fuse without
# misalignment input, no decoder.
_base_ = ['../r18_cra_anny.py', '../../_base_/models/cra_ablations.py']
model = _base_.cra_r1r2_fuse
