# CRA's embedded config with every swappable component taken from the toy
# plugin (loaded through custom_imports): its body model (rendered as the
# IUV input and for D_M), its projection, its head as R1 / R2 and its loss
# for the 2D keypoints.  Small batches and a 4-sample test set.
_base_ = ['../../../configs/cra/r18_cra_anny.py']
custom_imports = dict(imports=['hmrzoo_toy_plugin'],
                      allow_failed_imports=False)
toy_body = dict(type='ToyBody')
model = dict(
    data_preprocessor=dict(body_model=toy_body),
    body_model=toy_body,
    projection=dict(_delete_=True, type='LogScaleCropProjection',
                    img_res=256),
    regressor=dict(_delete_=True, type='OneShotHead', hidden=64),
    losses=dict(keypoints2d=dict(_delete_=True, type='CharbonnierLoss')))
train_dataloader = dict(batch_size=2)
val_dataloader = dict(batch_size=2, dataset=dict(num_samples=4))
test_dataloader = val_dataloader
train_cfg = dict(max_iters=2, val_interval=2)
default_hooks = dict(checkpoint=dict(interval=2), logger=dict(interval=1))
val_evaluator = dict(data_description='4 synthetic ToyBody samples')
test_evaluator = val_evaluator
