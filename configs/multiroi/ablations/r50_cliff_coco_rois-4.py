# Table 4: 4 RoI(s) (the first 4 of: the bbox, +0.1b x / scale 1.5,
# -0.1b x / 1.25, +0.1b y / 0.8, -0.1b y / 0.65).
_base_ = ['./r50_cliff_coco.py']
num_rois = 4
model = dict(head=dict(num_rois=num_rois))
train_dataloader = dict(dataset=dict(num_rois=num_rois))
val_dataloader = dict(dataset=dict(num_rois=num_rois))
test_dataloader = val_dataloader
