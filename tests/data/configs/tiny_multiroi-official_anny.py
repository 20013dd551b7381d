# A tiny, fast variant of
# configs/multiroi/r50_cliff_anny_official-layout.py for tests: the tiny
# Multi-RoI config with the official-layout fusion and regressor.
_base_ = ['./tiny_multiroi_anny.py']
model = dict(neck=dict(_delete_=True, type='RoIAttentionFusion', num_freqs=4,
                       embed_dim=16),
             head=dict(_delete_=True, type='MultiRoIPerRoIHead',
                       hidden=(32, 16), n_iter=2),
             consistent_init=False, contrast_gate=True)
