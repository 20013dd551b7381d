# The keypoint-heatmap HMR of r18_keypoints_anny.py on SMPL: needs the
# licensed SMPL files under data/body_models (see README); without them it
# stops at once, naming the missing file and the Anny variant.
_base_ = ['./r18_keypoints_anny.py']
# smpl_54 = smplx's 45 joints + SPIN's 9 extra regressor rows, which include
# the dataset-style hips that COCO keypoints need.
body_model = dict(_delete_=True, type='SMPL', model_path='data/body_models',
                  gender='neutral',
                  extra_joints_regressor='data/body_models/'
                                         'J_regressor_extra.npy')
num_betas = 10
train_dataloader = dict(dataset=dict(num_betas=num_betas))
val_dataloader = dict(dataset=dict(
    num_betas=num_betas), )
test_dataloader = val_dataloader
model = dict(
    data_preprocessor=dict(body_model=body_model),
    body_model=body_model)
val_evaluator = dict(data_description='held-out synthetic SMPL set (seed '
                     '1234, 512 samples, clean COCO-17 keypoints)')
test_evaluator = val_evaluator
