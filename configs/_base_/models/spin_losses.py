# SPIN's loss weights (2D and 3D keypoints 5, pose 1, betas 0.001, camera
# scale 60 / 60), scaled by 60 as SPIN, PyMAF and Multi-RoI's code do
# (Multi-RoI multiplies its total by 60), plus a vertex term of 1 (x60)
# (Multi-RoI's shape loss; exact meshes exist in every setting here).
# Reductions as SPIN's code: 2D keypoints (conf * mse).mean() over every
# entry of the batch and SPIN's 49 joints, 3D keypoints the same over the
# rows that have 3D keypoints and its 24 ground-truth joints
# (KeypointMSELoss 'all' / 'labelled_rows', num_joints).
spin_losses = dict(
    keypoints3d=dict(type='KeypointMSELoss', loss_weight=300.,
                     reduction='labelled_rows', num_joints=24),
    keypoints2d=dict(type='KeypointMSELoss', loss_weight=300.,
                     reduction='all', num_joints=49),
    pose=dict(type='MSELoss', loss_weight=60.),
    betas=dict(type='MSELoss', loss_weight=0.06),
    vertices=dict(type='L1Loss', loss_weight=60.),
    camera=dict(type='CameraScaleLoss', loss_weight=60.))
# The embedded (_anny) variants average over the labelled points instead
# (their README figures were measured so; on synthetic bodies every model
# keypoint is labelled and the two differ by a constant factor).
spin_losses_anny = dict(
    spin_losses,
    keypoints3d=dict(spin_losses['keypoints3d'], reduction='valid',
                     num_joints=None),
    keypoints2d=dict(spin_losses['keypoints2d'], reduction='valid',
                     num_joints=None))
