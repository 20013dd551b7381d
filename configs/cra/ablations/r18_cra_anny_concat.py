# Table 4, row 3: input concatenation: one stream on the stacked heatmaps
# and IUV (20 channels), {R1 R1}, no fusion, no decoder.
_base_ = ['../r18_cra_anny.py']
model = dict(
    data_preprocessor=dict(targets=()),
    streams=('concat', ), regressors=('global', 'global'), fusion=None,
    iuv_decoder=None, losses=dict(iuv=None))
