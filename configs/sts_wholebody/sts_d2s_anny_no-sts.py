# Table III's ablation: sts_d2s_anny.py without STS.  No synthetic paired
# step and no partial pre-training: the hand and face regressors learn from
# the 2D keypoint loss (and L_r) only, as a regressor trained without paired
# hand data would.  Compare the hand errors with sts_d2s_anny.py.
_base_ = ['./sts_d2s_anny.py']
model = dict(sts_interval=0, partial_pretrain_iters=0,
             weak_terms=('kp2d', 'r', 'kp3d_body'))
