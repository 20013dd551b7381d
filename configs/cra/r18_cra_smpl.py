# CRA in the paper's setting: SMPL (the licensed files under
# data/body_models), body poses from a bank of the UP-3D, 3DPW (train) and
# Human3.6M (S1, S5-S8) SMPL fits (§4.1), batch 128, the full decoder
# (5 stages, back to 256x256).  Without the files it stops at once, naming
# what is missing and the embedded variant configs/cra/r18_cra_anny.py.
# Evaluation here is the held-out synthetic SMPL set; the paper tests on
# 3DPW / Human3.6M / MPI-INF-3DHP from 2D evidence detected on the test
# images: configs/cra/r18_cra_smpl_pw3d-detected-test.py does so for 3DPW.
#   python tools/train.py configs/cra/r18_cra_smpl.py
_base_ = ['./r18_cra_anny.py']
body_model = dict(_delete_=True, type='SMPL', model_path='data/body_models',
                  gender='neutral',
                  extra_joints_regressor='data/body_models/'
                                         'J_regressor_extra.npy')
num_betas = 10
_pose_bank = 'data/pose_banks/cra_up3d_3dpw_h36m.npz'
required_data = dict(
    body_models=[('smpl', 'neutral'), ('J_regressor_extra', None),
                 ('smpl_mean_params', None)],
    files=[dict(path=_pose_bank,
                what='SMPL pose bank (UP-3D, 3DPW train, Human3.6M S1, '
                     'S5-S8 fits)',
                how='gather their camera-frame fits into one .npz '
                    '(body_pose (N, 69) and global_orient (N, 3) '
                    'axis-angle; layouts in '
                    'hmrzoo/synthetic/sources/pose_bank.py)')],
    embedded_variant='configs/cra/r18_cra_anny.py')
# STRAPS' synthetic distribution, which CRA cites for it (§3.2, [43]):
# shape N(0, 1.5^2) per coefficient, the fits' own (camera-frame) global
# orientation, translation (0, 0.2, 42) m + (N(0, 0.05^2) x 2, U(-5, 5)),
# focal 5000 px on 256-pixel images
straps_camera = dict(focal_length=5000., img_size=256, depth_range=(37., 47.),
                     xy_range=0., mean_xy=(0., 0.2), xy_std=0.05)
train_dataloader = dict(batch_size=128, dataset=dict(
    num_betas=num_betas, shape_std=1.5, camera=straps_camera,
    pose_bank=dict(path=_pose_bank, use_bank_orientation=True)))
val_dataloader = dict(dataset=dict(num_betas=num_betas, shape_std=1.5,
                                   camera=straps_camera))
test_dataloader = val_dataloader
model = dict(
    data_preprocessor=dict(body_model=body_model),
    regressor=dict(mean_params='data/body_models/smpl_mean_params.npz'),
    iuv_decoder=dict(channels=(256, 128, 64, 64, 64)),
    body_model=body_model)
# 30 epochs (§4.2) of a bank of about 300k poses at batch 128 is about
# 70k iterations (the paper does not give the bank's exact size)
train_cfg = dict(max_iters=70000, val_interval=5000)
default_hooks = dict(checkpoint=dict(interval=5000))
val_evaluator = dict(data_description='held-out synthetic SMPL set (seed '
                     '1234, 512 samples, clean COCO-17 heatmaps and IUV, '
                     '256x256)')
test_evaluator = val_evaluator
