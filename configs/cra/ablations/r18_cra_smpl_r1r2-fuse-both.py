# Table 4, row 7, in the paper's SMPL setting (r18_cra_smpl.py; the embedded
# one: r18_cra_anny_r1r2-fuse-both.py): the override cra_r1r2_fuse_both of
# configs/_base_/models/cra_ablations.py.
_base_ = ['../r18_cra_smpl.py', '../../_base_/models/cra_ablations.py']
model = _base_.cra_r1r2_fuse_both
