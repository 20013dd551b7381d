# Table 4: 1 RoI(s) (the first 1 of: the bbox, +0.1b x / scale 1.5,
# -0.1b x / 1.25, +0.1b y / 0.8, -0.1b y / 0.65).
_base_ = ['./r50_cliff_coco.py']
num_rois = 1
# One RoI has no pair of cameras and no second view of the person: the
# camera-consistency and contrastive losses are off.
model = dict(head=dict(num_rois=num_rois),
             losses=dict(camera_consistency=None, contrastive=None))
train_dataloader = dict(dataset=dict(num_rois=num_rois))
val_dataloader = dict(dataset=dict(num_rois=num_rois))
test_dataloader = val_dataloader
