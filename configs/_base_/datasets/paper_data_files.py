# The converted annotation files the paper-setting configs read, with what
# each holds and the command that makes it (docs/data_preparation.md tells
# where each release comes from).  A config picks its files by key: their
# `required_data` entries (`paper_required`, checked before anything is
# built) and their dataset sources (`paper_sources`: ann_file, data_prefix).
# Below the table: the 3DPW test set every paper config validates and
# tests on, and the training mix of HMR / CLIFF / Multi-RoI (PyMAF's config
# puts SPIN's mix in its place).
data_root = 'data/preprocessed'
# images: each dataset's official tree, the --root given to the converter
image_root = 'data/datasets'
_convert = 'python tools/convert_datasets.py'
# the 2D datasets with the SMPL fits of SPIN's preprocessed files
# (data/dataset_extras in SPIN's release)
_spin = ('{c} --dataset spin_fits --root data/datasets/{d} --options '
         'npz=data/dataset_extras/{f}.npz dataset={d}')
paper_files = dict(
    h36m=('h36m_train.npz', 'Human3.6M training annotations (S1, S5-S8)',
          f'{_convert} --dataset h36m --root data/datasets/h36m '
          '--split train'),
    mpi_inf_3dhp=('mpi_inf_3dhp_train.npz',
                  'MPI-INF-3DHP training annotations',
                  f'{_convert} --dataset mpi_inf_3dhp --root '
                  'data/datasets/mpi_inf_3dhp --split train'),
    coco=('coco_2014_train.npz', 'COCO 2014 keypoint annotations',
          f'{_convert} --dataset coco --root data/datasets/coco '
          '--split train'),
    mpii=('mpii_train.npz', 'MPII training annotations',
          f'{_convert} --dataset mpii --root data/datasets/mpii'),
    spin_lsp=('spin_lsp_dataset_original_train.npz',
              'LSP training annotations with SPIN fits',
              _spin.format(c=_convert, d='lsp',
                           f='lsp_dataset_original_train')),
    spin_lspet=('spin_hr_lspet_train.npz',
                'LSP-Extended (HR-LSPET) annotations with SPIN fits',
                _spin.format(c=_convert, d='lspet', f='hr-lspet_train')),
    spin_mpii=('spin_mpii_train.npz', 'MPII annotations with SPIN fits',
               _spin.format(c=_convert, d='mpii', f='mpii_train')),
    spin_coco=('spin_coco_2014_train.npz',
               'COCO 2014 keypoints with SPIN fits',
               _spin.format(c=_convert, d='coco', f='coco_2014_train')),
    # CLIFF's pseudo ground truth (cliffGT_v1/, SPIN-style .npz with SMPL
    # fits of the 2D datasets; CLIFF's README)
    cliff_coco=('spin_coco2014part_cliffgt.npz',
                'COCO 2014 (part) with CLIFF pseudo-ground-truth SMPL fits',
                f'{_convert} --dataset spin_fits --root data/datasets/coco '
                '--options npz=data/cliffGT_v1/coco2014part_cliffGT.npz '
                'dataset=coco smpl_source=cliff'),
    cliff_mpii=('spin_mpii_cliffgt.npz',
                'MPII with CLIFF pseudo-ground-truth SMPL fits',
                f'{_convert} --dataset spin_fits --root data/datasets/mpii '
                '--options npz=data/cliffGT_v1/mpii_cliffGT.npz '
                'dataset=mpii smpl_source=cliff'),
    # EFT's pseudo ground truth of COCO 2014 (eft_fit/, facebookresearch/eft)
    eft_coco=('eft_coco2014_all_ver01.npz',
              'COCO 2014 with EFT pseudo-ground-truth SMPL fits',
              f'{_convert} --dataset eft --root data/datasets/coco --options '
              'fits=data/eft_fit/COCO2014-All-ver01.json source=coco'),
    pw3d=('pw3d_test.npz', '3DPW test annotations',
          f'{_convert} --dataset 3dpw --root data/datasets/pw3d '
          '--split test'),
    h36m_p2=('h36m_valid_protocol2.npz',
             'Human3.6M test set, protocol 2 (S9, S11, front camera)',
             f'{_convert} --dataset h36m --root data/datasets/h36m '
             '--split test --options protocol=2'),
)
# the image tree of each file
paper_image_dirs = dict(h36m='h36m', mpi_inf_3dhp='mpi_inf_3dhp',
                        coco='coco', mpii='mpii', spin_lsp='lsp',
                        spin_lspet='lspet', spin_mpii='mpii',
                        spin_coco='coco', cliff_coco='coco', eft_coco='coco',
                        cliff_mpii='mpii', pw3d='pw3d', h36m_p2='h36m')
paper_required = {
    key: dict(path=f'{data_root}/{name}', what=what,
              how=f'`{how}` (docs/data_preparation.md)')
    for key, (name, what, how) in paper_files.items()}
paper_sources = {
    key: dict(ann_file=f'{data_root}/{paper_files[key][0]}',
              data_prefix=f'{image_root}/{folder}')
    for key, folder in paper_image_dirs.items()}
smpl_files = [('smpl', 'neutral'), ('smpl', 'male'), ('smpl', 'female'),
              ('J_regressor_extra', None), ('J_regressor_h36m', None),
              ('smpl_mean_params', None)]

# The training mix of the paper setting of CLIFF / Multi-RoI (HMR uses it
# too): train on Human3.6M, MPI-INF-3DHP, COCO and MPII (converted to
# hmrzoo's annotation format), test on 3DPW.  The mixing ratios are not
# given by the Multi-RoI paper; these are SPIN's (H36M 0.3, MPI-INF-3DHP
# 0.1, the 2D datasets 0.6 split by length) with LSP removed.  COCO and MPII
# enter with CLIFF's pseudo-ground-truth SMPL fits (the annotations CLIFF
# trains with, and Multi-RoI follows CLIFF's data setting); Human3.6M and
# MPI-INF-3DHP carry 3D joints but no SMPL (their converters emit none):
# training logs the fraction of rows with SMPL per source at start-up.
# Every file below is checked before anything is built (`required_data`);
# without them the config stops and names the embedded variant (set by
# each config).
crop_size = (192, 256)  # (W, H), CLIFF's rectangular crops
required_data = dict(
    body_models=smpl_files,
    files=[paper_required[k]
           for k in ('h36m', 'mpi_inf_3dhp', 'cliff_coco', 'cliff_mpii',
                     'pw3d')])
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
        datasets=[paper_sources[k] for k in ('h36m', 'mpi_inf_3dhp',
                                             'cliff_coco', 'cliff_mpii')]))
# the 3DPW test set every paper config validates and tests on
val_dataloader = dict(
    batch_size=32,
    num_workers=8,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='HumanImageDataset', keypoint_convention='smpl_54',
                 required=('has_smpl', ), test_mode=True,
                 **paper_sources['pw3d'], crop_size=crop_size))
test_dataloader = val_dataloader
