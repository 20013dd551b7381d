# Table 4, row 2, in the paper's SMPL setting (r18_cra_smpl.py; the
# embedded one: r18_cra_anny_iuv.py): the override cra_iuv of
# configs/_base_/models/cra_ablations.py.
_base_ = ['../r18_cra_smpl.py', '../../_base_/models/cra_ablations.py']
model = _base_.cra_iuv
