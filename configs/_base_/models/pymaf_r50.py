# The PyMAF network (ResNet-50) shared by the paper config and the embedded
# variant; a config adds the data preprocessor and the body model.
model = dict(
    type='PyMAFEstimator',
    backbone=dict(type='ResNet', depth=50),
    # 14², 28², 56² maps of 256 channels for a 224² crop
    neck=dict(type='DeconvPyramid', channels=256,
              num_layers=3),
    # template of the per-level regressors (HMR's layout, one iteration
    # each; the input size follows from the point features)
    head=dict(type='IEFHead'),
    feedback='mesh', pyramid=True, init_feature='grid', grid_size=21,
    num_points=431, point_dims=(128, 64, 5),
    iuv_head=dict(type='IUVPredictor'),
    projection=dict(type='WeakPerspectiveProjection', focal_length=5000.,
                    img_res=224),
    # PyMAF's weights (core/cfgs.py): pose 60, betas 0.06, 2D / 3D
    # keypoints 300, vertices 0, camera 1; IUV: part index 1, U / V 0.5;
    # keypoint reductions as SPIN's (see spin_losses.py)
    losses=dict(
        keypoints3d=dict(type='KeypointMSELoss', loss_weight=300.,
                         reduction='labelled_rows', num_joints=24),
        keypoints2d=dict(type='KeypointMSELoss', loss_weight=300.,
                         reduction='all', num_joints=49),
        pose=dict(type='MSELoss', loss_weight=60.),
        betas=dict(type='MSELoss', loss_weight=0.06),
        camera=dict(type='CameraScaleLoss', loss_weight=1.),
        # U / V smooth-L1 summed over the foreground and divided by the
        # batch size, as PyMAF's code (not a per-pixel mean)
        # and the 15-way coarse-part cross-entropy the official code trains
        # (weight 1; eq. 4 does not write it)
        iuv=dict(type='DenseCorrespondenceLoss', part_weight=1.,
                 uv_weight=0.5, uv_reduction='sum_per_sample',
                 coarse_weight=1.)),
    root_indices=[0])
