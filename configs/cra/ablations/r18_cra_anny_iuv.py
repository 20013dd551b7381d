# Table 4, row 2: IUV only: one stream on the compact IUV map, {R1 R1}, no
# fusion, no decoder.
_base_ = ['../r18_cra_anny.py']
model = dict(
    data_preprocessor=dict(outputs=('iuv', ), targets=()),
    evidence=('iuv', ), streams=('iuv', ),
    regressors=('global', 'global'), fusion=None, iuv_decoder=None,
    losses=dict(iuv=None))
