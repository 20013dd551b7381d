# Table 4, row 4: two streams with {R1 R1} each, fused by R_fuse from their
# fine features and estimates only (no misalignment input), no decoder.
_base_ = ['../r18_cra_anny.py', '../../_base_/models/cra_ablations.py']
model = _base_.cra_r1r1_fuse
