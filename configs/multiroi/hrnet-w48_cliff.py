# Multi-RoI with HRNet-W48 (the pose HRNet, its four branches downsampled to
# 1/32 and concatenated: a 720-d feature), Adam 5e-5, batch 20, 15 epochs
# (§4.2).
_base_ = ['./r50_cliff.py']
model = dict(
    backbone=dict(_delete_=True, type='HRNet', arch='w48',
                  out_type='concat'))
optim_wrapper = dict(optimizer=dict(lr=5e-5))
train_dataloader = dict(batch_size=20)
train_cfg = dict(max_epochs=15)
