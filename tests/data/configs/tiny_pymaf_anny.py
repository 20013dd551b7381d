# A tiny, fast variant of configs/pymaf/r50_pymaf_anny.py for tests.
_base_ = ['../../../configs/pymaf/r50_pymaf_anny.py']
model = dict(data_preprocessor=dict(render_size=64, targets=dict(iuv=16)),
             backbone=dict(depth=18),
             neck=dict(in_channels=512, channels=16),
             head=dict(hidden=32),
             iuv_head=dict(in_channels=16))
train_dataloader = dict(batch_size=2, dataset=dict(num_samples=64))
val_dataloader = dict(batch_size=4, dataset=dict(num_samples=4))
test_dataloader = val_dataloader
train_cfg = dict(max_iters=2, val_interval=100)
default_hooks = dict(logger=dict(interval=1),
                     checkpoint=dict(interval=2, max_keep_ckpts=5))
