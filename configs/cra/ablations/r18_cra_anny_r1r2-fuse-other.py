# Table 4, row 6: {R1 R2} x 2 and R_fuse fed with each estimate's
# misalignment with the *other* representation (the joint stream's D_M,
# the IUV stream's D_J), no decoder.
_base_ = ['../r18_cra_anny.py']
model = dict(
    data_preprocessor=dict(targets=()),
    regressors=('global', 'fine'), fusion='other', iuv_decoder=None,
    losses=dict(iuv=None))
