# SPIN's training mix, used by PyMAF (§4.2): Human3.6M (0.3), MPI-INF-3DHP
# (0.1) and the 2D datasets LSP, LSP-ET, MPII, COCO (0.6 together, split by
# length) with their pseudo ground-truth SMPL fits; tested on 3DPW.  The
# converted files are checked before anything is built (`required_data`).
data_root = 'data/preprocessed'
# images: each dataset's official tree, the --root given to the converter
image_root = 'data/datasets'
crop_size = (224, 224)
_files = dict(
    h36m=('h36m_train.npz', 'Human3.6M training annotations (S1, S5-S8)'),
    mpi_inf_3dhp=('mpi_inf_3dhp_train.npz',
                  'MPI-INF-3DHP training annotations'),
    lsp=('lsp_train.npz', 'LSP training annotations with SMPL fits'),
    lspet=('lspet_train.npz', 'LSP-Extended annotations with SMPL fits'),
    mpii=('mpii_train.npz', 'MPII annotations with SMPL fits'),
    coco=('coco_2014_train.npz', 'COCO 2014 keypoints with SMPL fits'),
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
    batch_size=64,
    num_workers=8,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='MixedDataset',
        # SPIN's partition: 0.3 H36M, 0.1 MPI-INF-3DHP, 0.6 the 2D sets
        # (LSP, LSP-ET, MPII, COCO) in proportion to their lengths
        ratios=[0.3, 0.1, 0.6],
        defaults=dict(type='HumanImageDataset', crop_size=crop_size,
                      keypoint_convention='smpl_54', test_mode=False),
        datasets=[
            dict(ann_file=f'{data_root}/{_files["h36m"][0]}',
                 data_prefix=f'{image_root}/h36m'),
            dict(ann_file=f'{data_root}/{_files["mpi_inf_3dhp"][0]}',
                 data_prefix=f'{image_root}/mpi_inf_3dhp'),
            dict(type='ConcatDataset', datasets=[
                dict(ann_file=f'{data_root}/{_files[k][0]}',
                     data_prefix=f'{image_root}/{k}')
                for k in ('lsp', 'lspet', 'mpii', 'coco')])]))
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
