# CRA's Table 4 ablations as model overrides, shared by the embedded
# (configs/cra/ablations/r18_cra_anny_*.py) and the SMPL
# (configs/cra/ablations/r18_cra_smpl_*.py) ablation configs; each
# changes only what its row names.

# Table 4, row 1: 2D joints only: one stream on the 17 joint heatmaps with
# iterative global regressors {R1 R1} (our reading of the table's regressor
# column for rows 1-3), no fusion.  Table 4's rows have no IUV decoder
# (it studies the representations and the alignment).
cra_j2d = dict(
    data_preprocessor=dict(outputs=('heatmaps', ), targets=()),
    evidence=('heatmaps', ), streams=('joints', ),
    regressors=('global', 'global'), fusion=None, iuv_decoder=None,
    losses=dict(iuv=None))

# Table 4, row 2: IUV only: one stream on the compact IUV map, {R1 R1}, no
# fusion, no decoder.
cra_iuv = dict(
    data_preprocessor=dict(outputs=('iuv', ), targets=()),
    evidence=('iuv', ), streams=('iuv', ),
    regressors=('global', 'global'), fusion=None, iuv_decoder=None,
    losses=dict(iuv=None))

# Table 4, row 3: input concatenation: one stream on the stacked heatmaps
# and IUV (20 channels), {R1 R1}, no fusion, no decoder.
cra_concat = dict(
    data_preprocessor=dict(targets=()),
    streams=('concat', ), regressors=('global', 'global'), fusion=None,
    iuv_decoder=None, losses=dict(iuv=None))

# Table 4, row 4: two streams with {R1 R1} each, fused by R_fuse from their
# fine features and estimates only (no misalignment input), no decoder.
cra_r1r1_fuse = dict(
    data_preprocessor=dict(targets=()),
    regressors=('global', 'global'), fusion='features', iuv_decoder=None,
    losses=dict(iuv=None))

# Table 4, row 5: two streams with {R1 R2} each, R_fuse without
# misalignment input, no decoder.
cra_r1r2_fuse = dict(
    data_preprocessor=dict(targets=()),
    regressors=('global', 'fine'), fusion='features', iuv_decoder=None,
    losses=dict(iuv=None))

# Table 4, row 6: {R1 R2} x 2 and R_fuse fed with each estimate's
# misalignment with the *other* representation (the joint stream's D_M,
# the IUV stream's D_J), no decoder.
cra_r1r2_fuse_other = dict(
    data_preprocessor=dict(targets=()),
    regressors=('global', 'fine'), fusion='other', iuv_decoder=None,
    losses=dict(iuv=None))

# Table 4, row 7 (the method): {R1 R2} x 2 and R_fuse fed with both
# misalignments of both estimates (D_J, D_M), no decoder.
cra_r1r2_fuse_both = dict(
    data_preprocessor=dict(targets=()),
    regressors=('global', 'fine'), fusion='both', iuv_decoder=None,
    losses=dict(iuv=None))
