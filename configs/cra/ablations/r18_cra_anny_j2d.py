# Table 4, row 1: 2D joints only: one stream on the 17 joint heatmaps with
# iterative global regressors {R1 R1} (our reading of the table's regressor
# column for rows 1-3), no fusion.  Table 4's rows have no IUV decoder
# (it studies the representations and the alignment); all inherit
# configs/cra/r18_cra_anny.py.
_base_ = ['../r18_cra_anny.py', '../../_base_/models/cra_ablations.py']
model = _base_.cra_j2d
