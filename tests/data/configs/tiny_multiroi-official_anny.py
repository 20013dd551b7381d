# A tiny, fast variant of
# configs/multiroi/r50_cliff_anny_official-layout.py for tests.
_base_ = ['../../../configs/multiroi/r50_cliff_anny_official-layout.py']
model = dict(data_preprocessor=dict(render_size=32),
             backbone=dict(depth=18),
             neck=dict(num_freqs=4, embed_dim=16),
             head=dict(hidden=(32, 16), n_iter=2))
train_dataloader = dict(batch_size=2, dataset=dict(num_samples=64))
val_dataloader = dict(batch_size=4, dataset=dict(num_samples=4))
test_dataloader = val_dataloader
train_cfg = dict(max_iters=2, val_interval=100)
default_hooks = dict(logger=dict(interval=1),
                     checkpoint=dict(interval=2, max_keep_ckpts=5))
