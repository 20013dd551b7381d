# Table 4, row 3: input concatenation: one stream on the stacked heatmaps
# and IUV (20 channels), {R1 R1}, no fusion, no decoder.
_base_ = ['../r18_cra_anny.py', '../../_base_/models/cra_ablations.py']
model = _base_.cra_concat
