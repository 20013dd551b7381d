# SMPL from the user's files under data/body_models (mmhuman3d's layout);
# see docs and tools/convert_body_model.py.  The Anny variants of each
# config run without any licensed file.
body_model = dict(type='SMPL', model_path='data/body_models', gender='neutral')
num_betas = 10
