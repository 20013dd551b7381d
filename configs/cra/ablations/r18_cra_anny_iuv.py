# Table 4, row 2: IUV only: one stream on the compact IUV map, {R1 R1}, no
# fusion, no decoder.
_base_ = ['../r18_cra_anny.py', '../../_base_/models/cra_ablations.py']
model = _base_.cra_iuv
