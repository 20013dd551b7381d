# The paper setting of CLIFF / Multi-RoI: train on Human3.6M, MPI-INF-3DHP,
# COCO and MPII (converted to hmrzoo's annotation format), test on 3DPW.
# The mixing ratios are not given by the Multi-RoI paper; these are SPIN's
# (H36M 0.3, MPI-INF-3DHP 0.1, the 2D datasets 0.6 split by length) with
# LSP removed.  COCO and MPII carry 2D keypoints only; pseudo ground-truth
# fits (EFT / SPIN-style files, docs/datasets/pseudo_gt_fits.md) replace
# them by pointing `ann_file` at the converted fit file.  Every file below
# is checked before anything is built (`required_data`); without them the
# config stops and names the embedded variant (set by each config).
_base_ = ['./paper_data_files.py']
crop_size = (192, 256)  # (W, H), CLIFF's rectangular crops
_source = _base_.paper_sources
required_data = dict(
    body_models=_base_.smpl_files,
    files=[_base_.paper_required[k]
           for k in ('h36m', 'mpi_inf_3dhp', 'coco', 'mpii', 'pw3d')])
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
        datasets=[_source[k] for k in ('h36m', 'mpi_inf_3dhp', 'coco',
                                       'mpii')]))
val_dataloader = dict(dataset=dict(crop_size=crop_size))  # 3DPW test
test_dataloader = val_dataloader
