# CLIFF (ResNet-50): HMR plus the bounding-box information input and the 2D
# loss through the full-image camera, on 256x192 crops.  Only configuration
# differs from configs/hmr/r50_hmr.py.  Paper setting (SMPL, H36M /
# MPI-INF-3DHP / COCO / MPII, tested on 3DPW); the embedded variant is
# configs/cliff/cliff_r50_anny.py.  Official weights convert with
#   python tools/convert_checkpoint.py --format cliff-res50 SRC DST
_base_ = ['../hmr/r50_hmr.py']
required_data = dict(embedded_variant='configs/cliff/cliff_r50_anny.py')
model = dict(
    # the head's 3 extra inputs follow from bbox_info
    bbox_info='cliff',
    # CLIFF starts from a COCO 2D-pose ResNet-50 (mmpose's, through the zoo)
    backbone=dict(init_cfg=dict(
        type='Pretrained', prefix='backbone.',
        checkpoint='zoo://resnet50_coco_pose_mmpose')),
    projection=dict(_delete_=True, type='CliffFullFrameProjection',
                    crop_size=(192, 256)))
# no in-plane rotation: the 2D loss goes through the full-image camera,
# which a rotated crop does not share (see HumanImageDataset's `rotate`)
train_dataloader = dict(dataset=dict(defaults=dict(crop_size=(192, 256),
                                                   rotate=False)))
val_dataloader = dict(dataset=dict(crop_size=(192, 256)))
test_dataloader = val_dataloader
optim_wrapper = dict(optimizer=dict(lr=1e-4))
