# SMPL from the user's files under data/body_models (mmhuman3d's layout);
# see docs and tools/convert_body_model.py.  The Anny variants of each
# config run without any licensed file.
# Keypoints: smpl_54 = smplx's 45 joints + SPIN's 9 extra regressor rows
# (which include the dataset-style hips that COCO keypoints need).
body_model = dict(type='SMPL', model_path='data/body_models',
                  gender='neutral',
                  extra_joints_regressor='data/body_models/'
                                         'J_regressor_extra.npy')
num_betas = 10
