# tiny_keypoints_anny.py plus a hook that dumps each rank's parameters.
_base_ = ['./tiny_keypoints_anny.py']
custom_imports = dict(imports=['hmrzoo.testing'], allow_failed_imports=False)
custom_hooks = [dict(type='DumpParametersHook')]
train_cfg = dict(max_iters=3)
