# Table 1, "Ours - depth input": the network sees the 17 joint heatmaps only
# (17 input channels, derived by the estimator); the losses are unchanged (the depth is still rendered
# and trimmed for the depth loss and the reliability MLP).
_base_ = ['../r18_selfsup_depth_anny.py']
model = dict(data_preprocessor=dict(network_inputs=('heatmaps', )))
