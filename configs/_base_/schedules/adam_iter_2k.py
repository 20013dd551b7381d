# Iteration-based schedule for synthetic training (short CPU runs).
optim_wrapper = dict(type='OptimWrapper',
                     optimizer=dict(type='Adam', lr=1e-4))
param_scheduler = []
train_cfg = dict(type='IterBasedTrainLoop', max_iters=2000,
                 val_interval=1000)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
