# Table 4, row 4: two streams with {R1 R1} each, fused by R_fuse from their
# fine features and estimates only (no misalignment input), no decoder.
_base_ = ['../r18_cra_anny.py']
model = dict(
    data_preprocessor=dict(targets=()),
    regressors=('global', 'global'), fusion='features', iuv_decoder=None,
    losses=dict(iuv=None))
