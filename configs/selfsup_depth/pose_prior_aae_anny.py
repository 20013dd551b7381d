# The pose prior of the self-supervised joints+depth method
# (001_01caa0c91b604013.txt, "Pose Prior"): an adversarial auto-encoder on
# body poses, latent phi in [-1, 1]^32, decoder to the 23 body-joint
# rotations.  The embedded default trains it on the procedural pose sampler
# (joint limits, hmrzoo/synthetic/sources/pose_sampler.py); the paper trains
# on AMASS (pose_prior_aae_amass.py).  Its decoder is then loaded frozen by
# the mesh configs (model.head.pose_decoder.checkpoint names this run's work
# dir, whose last_checkpoint is used).
#   python tools/train.py configs/selfsup_depth/pose_prior_aae_anny.py
#   python tools/test.py configs/selfsup_depth/pose_prior_aae_anny.py CKPT
_base_ = ['../_base_/default_runtime.py']

_poses = dict(type='SyntheticPoseDataset', num_betas=6, num_keypoints=17)
train_dataloader = dict(
    batch_size=256, num_workers=0,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    collate_fn=dict(type='pseudo_collate'),
    dataset=dict(_poses, num_samples=1000000, seed=0))
val_dataloader = dict(
    batch_size=512, num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    collate_fn=dict(type='pseudo_collate'),
    dataset=dict(_poses, num_samples=4096, seed=1234, test_mode=True))
test_dataloader = val_dataloader

# encoder / decoder widths and the adversarial weight: the paper gives none
model = dict(type='PosePriorAAE', latent_dim=32, num_joints=23,
             hidden=(512, 512), disc_hidden=(256, 256),
             adversarial_weight=0.01)
optim_wrapper = dict(
    constructor='SubmoduleOptimWrapperConstructor',
    generator=dict(modules=('encoder', 'decoder'),
                   optimizer=dict(type='Adam', lr=1e-3)),
    discriminator=dict(modules=('discriminator', ),
                       optimizer=dict(type='Adam', lr=1e-4)))
param_scheduler = [dict(type='CosineAnnealingLR', by_epoch=False,
                        begin=0, end=6000, eta_min=1e-5)]
train_cfg = dict(type='IterBasedTrainLoop', max_iters=6000,
                 val_interval=2000)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
val_evaluator = dict(type='PosePriorMetric', margin_deg=5.0,
                     data_description='4096 held-out procedural poses '
                                      '(seed 1234, joint-limit sampler)')
test_evaluator = val_evaluator
default_hooks = dict(checkpoint=dict(interval=2000, max_keep_ckpts=2),
                     logger=dict(interval=200))
