# The official-layout Multi-RoI (configs/multiroi/r50_cliff_official-layout.py:
# the official code's RoI fusion and per-RoI regressor) on the embedded
# default (Anny, synthetic RoIs, CPU), to compare the two layouts without
# licensed files.
#   python tools/train.py configs/multiroi/r50_cliff_anny_official-layout.py
_base_ = ['./r50_cliff_anny.py']
model = dict(
    neck=dict(_delete_=True, type='RoIAttentionFusion', num_freqs=32,
              embed_dim=256),
    head=dict(_delete_=True, type='MultiRoIPerRoIHead', n_iter=3,
              hidden=(2048, 1024)),
    consistent_init=False, contrast_gate=True)
