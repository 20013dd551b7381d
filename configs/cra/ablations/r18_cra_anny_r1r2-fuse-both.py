# Table 4, row 7 (the method): {R1 R2} x 2 and R_fuse fed with both
# misalignments of both estimates (D_J, D_M), no decoder.
_base_ = ['../r18_cra_anny.py']
model = dict(
    data_preprocessor=dict(targets=()),
    regressors=('global', 'fine'), fusion='both', iuv_decoder=None,
    losses=dict(iuv=None))
