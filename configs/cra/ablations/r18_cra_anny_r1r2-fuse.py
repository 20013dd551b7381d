# Table 4, row 5: two streams with {R1 R2} each, R_fuse without
# misalignment input, no decoder.
_base_ = ['../r18_cra_anny.py']
model = dict(
    data_preprocessor=dict(targets=()),
    regressors=('global', 'fine'), fusion='features', iuv_decoder=None,
    losses=dict(iuv=None))
