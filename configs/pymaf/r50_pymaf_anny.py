# PyMAF on synthetic RGB crops of Anny: the embedded variant of
# configs/pymaf/r50_pymaf.py.  128x128 crops (pyramid 8², 16², 32²; the IUV
# target is rendered from the ground-truth body at 32²), the mesh
# downsampling computed for Anny (431 points), PyMAF's losses.
#   python tools/train.py configs/pymaf/r50_pymaf_anny.py
#   python tools/test.py configs/pymaf/r50_pymaf_anny.py CKPT
_base_ = ['../_base_/models/rgb_anny_runtime.py',
          '../_base_/models/pymaf_r50.py']
model = dict(
    data_preprocessor=dict(type='SyntheticRoIPreprocessor',
                           body_model={{_base_.body_model}}, num_rois=1,
                           outputs=('rgb', ), render_size=128,
                           crop_scale=1.2, targets=dict(iuv=32)),
    body_model={{_base_.body_model}},
    # the mean over labelled points, as the README figures were measured
    # (the paper config keeps SPIN's reductions)
    losses=dict(keypoints3d=dict(reduction='valid', num_joints=None),
                keypoints2d=dict(reduction='valid', num_joints=None),
                iuv=dict(uv_reduction='mean', coarse_weight=0.)))
val_evaluator = dict(data_description='held-out synthetic Anny RGB set '
                     '(seed 1234, 512 scenes, 128x128 crops)')
test_evaluator = val_evaluator
