# Table 4, row 1, "Global (Baseline)" (§4.4): the baseline PyMAF is
# compared with, "the same network architecture with HMR" with 6D
# rotations (§4.2): ResNet-50's pooled 2048-d feature, one IEF regressor
# run for 3 iterations, only the last supervised; no deconvolution
# pyramid, no feedback features, no auxiliary supervision.  Data, losses,
# schedule and evaluation are PyMAF's Human3.6M ablation setting
# (r50_pymaf_h36m.py).
_base_ = ['./r50_pymaf_h36m.py']
model = dict(
    _delete_=True,
    type='MeshEstimator',
    data_preprocessor=_base_.model.data_preprocessor,
    backbone=_base_.model.backbone,
    head=dict(type='IEFHead', n_iter=3,
              mean_params='data/body_models/smpl_mean_params.npz'),
    body_model=_base_.model.body_model,
    projection=_base_.model.projection,
    # PyMAF's terms less the IUV one (an HMR estimator has no IUV head)
    losses=dict(keypoints3d=_base_.model.losses.keypoints3d,
                keypoints2d=_base_.model.losses.keypoints2d,
                pose=_base_.model.losses.pose,
                betas=_base_.model.losses.betas,
                camera=_base_.model.losses.camera),
    root_indices=_base_.model.root_indices)
