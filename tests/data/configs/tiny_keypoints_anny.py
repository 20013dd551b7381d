# A tiny, fast variant of configs/hmr/r18_keypoints_anny.py for tests.
_base_ = ['../../../configs/hmr/r18_keypoints_anny.py']
train_dataloader = dict(batch_size=4, dataset=dict(num_samples=64))
val_dataloader = dict(batch_size=8, dataset=dict(num_samples=8))
test_dataloader = val_dataloader
model = dict(data_preprocessor=dict(heatmap_size=32),
             head=dict(n_iter=2, hidden=64))
train_cfg = dict(max_iters=4, val_interval=100)
default_hooks = dict(logger=dict(interval=1),
                     checkpoint=dict(interval=2, max_keep_ckpts=5))
randomness = dict(seed=0, deterministic=False)
