# Table 2, row 3: without the camera-consistency loss.
_base_ = ['./r50_cliff_coco.py']
model = dict(losses=dict(camera_consistency=None))
