# A tiny, fast variant of configs/cra/r18_cra_anny.py for tests: 96x96
# inputs (a 3x3 feature grid), narrow regressors, a 2-stage decoder.
_base_ = ['../../../configs/cra/r18_cra_anny.py']
model = dict(data_preprocessor=dict(heatmap_size=96, sigma=2.0),
             input_size=96, regressor=dict(hidden=32), fine_dims=(16, 8, 4),
             fusion_hidden=64, iuv_decoder=dict(channels=(16, 8)))
train_dataloader = dict(batch_size=2, dataset=dict(num_samples=64))
val_dataloader = dict(batch_size=4, dataset=dict(num_samples=4))
test_dataloader = val_dataloader
train_cfg = dict(max_iters=2, val_interval=100)
val_evaluator = dict(data_description='held-out synthetic Anny set (seed '
                     '1234, 4 samples, 96x96)')
test_evaluator = val_evaluator
default_hooks = dict(logger=dict(interval=1),
                     checkpoint=dict(interval=2, max_keep_ckpts=5))
