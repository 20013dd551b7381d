# The paper setting of CLIFF / Multi-RoI: train on Human3.6M, MPI-INF-3DHP,
# COCO and MPII (converted to hmrzoo's annotation format), test on 3DPW.
# The mixing ratios are not given by the Multi-RoI paper; these are SPIN's
# (H36M 0.3, MPI-INF-3DHP 0.1, the 2D datasets 0.6 split by length) with
# LSP removed.  Every file below is checked before anything is built
# (`required_data`); without them the config stops and names the embedded
# variant (set by each config).
data_root = 'data/preprocessed'
# images: each dataset's official tree, the --root given to the converter
image_root = 'data/datasets'
crop_size = (192, 256)  # (W, H), CLIFF's rectangular crops
_files = dict(
    h36m=('h36m_train.npz', 'Human3.6M training annotations (S1, S5-S8)'),
    mpi_inf_3dhp=('mpi_inf_3dhp_train.npz',
                  'MPI-INF-3DHP training annotations'),
    coco=('coco_2014_train.npz', 'COCO 2014 keypoint annotations'),
    mpii=('mpii_train.npz', 'MPII training annotations'),
    pw3d=('pw3d_test.npz', '3DPW test annotations'),
)
required_data = dict(
    body_models=[('smpl', 'neutral'), ('smpl', 'male'), ('smpl', 'female'),
                 ('J_regressor_extra', None), ('J_regressor_h36m', None),
                 ('smpl_mean_params', None)],
    files=[dict(path=f'{data_root}/{name}', what=what,
                how=f'convert the official release with `python '
                    f'tools/convert_datasets.py --dataset {key}` '
                    '(docs/data_preparation.md)')
           for key, (name, what) in _files.items()])
train_dataloader = dict(
    batch_size=48,
    num_workers=8,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='MixedDataset',
        ratios=[0.3, 0.1, 0.3, 0.3],
        # applied to every source (a child config changes them here)
        defaults=dict(type='HumanImageDataset', crop_size=crop_size,
                      keypoint_convention='smpl_54', test_mode=False),
        datasets=[dict(ann_file=f'{data_root}/{_files[k][0]}',
                 data_prefix=f'{image_root}/{k}')
                  for k in ('h36m', 'mpi_inf_3dhp', 'coco', 'mpii')]))
val_dataloader = dict(
    batch_size=32,
    num_workers=8,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='HumanImageDataset', crop_size=crop_size,
                 ann_file=f'{data_root}/pw3d_test.npz',
                 data_prefix=f'{image_root}/pw3d',
                 keypoint_convention='smpl_54', required=('has_smpl',),
                 test_mode=True))
test_dataloader = val_dataloader
