# The pose prior as the paper trains it: on AMASS mocap poses (SMPL fits).
# Gather the body poses into one .npz (body_pose (N, 69) axis-angle, or
# AMASS's poses (N, 156); layouts in hmrzoo/synthetic/sources/pose_bank.py).
# Without the file it stops at once, naming it and the embedded variant.
#   python tools/train.py configs/selfsup_depth/pose_prior_aae_amass.py
_base_ = ['./pose_prior_aae_anny.py']
_bank = 'data/pose_banks/amass_smpl_body_poses.npz'
required_data = dict(
    files=[dict(path=_bank, what='AMASS SMPL body poses',
                how='export the body poses of the AMASS sequences (SMPL-H '
                    'fits) into one .npz with a poses or body_pose key')],
    embedded_variant='configs/selfsup_depth/pose_prior_aae_anny.py')
train_dataloader = dict(dataset=dict(pose_bank=dict(path=_bank)))
# held out: the first rows of the same bank (seeded draws, another seed)
val_dataloader = dict(dataset=dict(pose_bank=dict(path=_bank)))
test_dataloader = val_dataloader
val_evaluator = dict(data_description='4096 poses drawn from the AMASS '
                     'bank (seed 1234; the bank is not split)')
test_evaluator = val_evaluator
