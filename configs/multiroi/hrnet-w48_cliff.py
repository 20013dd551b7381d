# Multi-RoI with HRNet-W48 (the pose HRNet, its four branches downsampled to
# 1/32 and concatenated: a 720-d feature), Adam 5e-5, batch 20, 15 epochs
# (§4.2).  The encoder starts from mmpose's COCO 2D-pose HRNet-W48 ("pre-
# trained on COCO for 2D pose estimation", §4.2) through the zoo; the pose
# HRNet's last module fuses into the highest resolution only, so its fusion
# into the other three branches and the down-sampling blocks start at
# initialisation (the load lists them; model_cards/backbones.md).
_base_ = ['./r50_cliff.py']
model = dict(
    backbone=dict(_delete_=True, type='HRNet', arch='w48',
                  out_type='concat',
                  init_cfg=dict(type='Pretrained', prefix='backbone.',
                                checkpoint='zoo://hrnet_w48_coco_pose_mmpose')))
optim_wrapper = dict(optimizer=dict(lr=5e-5))
train_dataloader = dict(batch_size=20)
train_cfg = dict(max_epochs=15)
