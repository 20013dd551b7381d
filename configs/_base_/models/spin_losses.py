# SPIN's loss weights (2D and 3D keypoints 5, pose 1, betas 0.001, camera
# scale 60 / 60), scaled by 60 as SPIN, PyMAF and Multi-RoI's code do
# (Multi-RoI multiplies its total by 60), plus a vertex term of 1 (x60)
# (Multi-RoI's shape loss; exact meshes exist in every setting here).
spin_losses = dict(
    keypoints3d=dict(type='KeypointMSELoss', loss_weight=300.),
    keypoints2d=dict(type='KeypointMSELoss', loss_weight=300.),
    pose=dict(type='MSELoss', loss_weight=60.),
    betas=dict(type='MSELoss', loss_weight=0.06),
    vertices=dict(type='L1Loss', loss_weight=60.),
    camera=dict(type='CameraScaleLoss', loss_weight=60.))
