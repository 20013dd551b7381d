# What every embedded-variant RGB config shares: Anny, the synthetic RGB
# scenes, a short Adam schedule and the held-out synthetic evaluation.
_base_ = [
    '../evaluation/synthetic_anny.py',
    '../default_runtime.py',
    '../schedules/adam_iter_2k.py',
    '../body_models/anny.py',
    '../datasets/synthetic_rgb_rois.py',
]
train_dataloader = dict(dataset=dict(num_betas={{_base_.num_betas}}))
val_dataloader = dict(dataset=dict(num_betas={{_base_.num_betas}}))
test_dataloader = val_dataloader
# 2,000 iterations at batch 8: about 35-40 minutes on a 2-core CPU for
# Multi-RoI / PyMAF (the figures in README.md)
train_cfg = dict(max_iters=2000, val_interval=1000)
default_hooks = dict(checkpoint=dict(interval=500, max_keep_ckpts=3,
                                     save_best=None))
# 24 Anny joints, pelvis-centred (_base_/evaluation/synthetic_anny.py)
val_evaluator = dict(
    _base_.synthetic_anny_evaluator,
    data_description='held-out synthetic Anny RGB set (seed 1234, 512 '
                     'scenes, 64x64 crops)')
test_evaluator = val_evaluator
