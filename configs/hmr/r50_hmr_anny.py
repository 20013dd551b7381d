# HMR (ResNet-50 -> global feature -> IEF, weak-perspective camera, SPIN
# losses) on synthetic RGB crops of Anny: the embedded variant of
# configs/hmr/r50_hmr.py.  64x64 crops keep a CPU iteration short.
#   python tools/train.py configs/hmr/r50_hmr_anny.py
_base_ = ['../_base_/models/rgb_anny_runtime.py',
          '../_base_/models/spin_losses.py']
model = dict(
    type='MeshEstimator',
    data_preprocessor=dict(type='SyntheticRoIPreprocessor',
                           body_model={{_base_.body_model}}, num_rois=1,
                           outputs=('rgb', ), render_size=64,
                           crop_scale=1.2),
    backbone=dict(type='ResNet', depth=50),
    head=dict(type='IEFHead', n_iter=3),
    body_model={{_base_.body_model}},
    # SPIN's camera: 2D ground truth in normalised crop coordinates
    projection=dict(type='WeakPerspectiveProjection', focal_length=5000.,
                    img_res=224),
    losses={{_base_.spin_losses_anny}},
    root_indices=[0])
