# PyMAF's embedded config on the toy plugin (found through the
# hmrzoo.plugins entry point, no custom_imports): its body model (RGB
# renders, IUV targets, mesh downsampling), its projection and its head as
# the per-level regressors.  Small batches and a 4-sample test set.
_base_ = ['../../../configs/pymaf/r50_pymaf_anny.py']
toy_body = dict(type='ToyBody')
model = dict(
    data_preprocessor=dict(body_model=toy_body),
    body_model=toy_body,
    projection=dict(_delete_=True, type='LogScaleCropProjection',
                    img_res=224),
    head=dict(_delete_=True, type='OneShotHead', num_joints=24, num_betas=6,
              hidden=64),
    losses=dict(camera=None))
train_dataloader = dict(batch_size=2)
val_dataloader = dict(batch_size=2, dataset=dict(num_samples=4))
test_dataloader = val_dataloader
train_cfg = dict(max_iters=2, val_interval=2)
default_hooks = dict(checkpoint=dict(interval=2), logger=dict(interval=1))
val_evaluator = dict(data_description='4 synthetic ToyBody RGB scenes')
test_evaluator = val_evaluator
