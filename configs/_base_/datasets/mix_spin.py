# SPIN's training mix, used by PyMAF (§4.2): Human3.6M (0.3), MPI-INF-3DHP
# (0.1) and the 2D datasets LSP, LSP-ET, MPII, COCO (0.6 together, split by
# length) with their pseudo ground-truth SMPL fits; tested on 3DPW.  The
# converted files are checked before anything is built (`required_data`).
_base_ = ['./paper_data_files.py']
crop_size = (224, 224)
_source = _base_.paper_sources
required_data = dict(
    body_models=_base_.smpl_files,
    files=[_base_.paper_required[k]
           for k in ('h36m', 'mpi_inf_3dhp', 'spin_lsp', 'spin_lspet',
                     'spin_mpii', 'spin_coco', 'pw3d')])
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
            _source['h36m'], _source['mpi_inf_3dhp'],
            dict(type='ConcatDataset', datasets=[
                _source[k] for k in ('spin_lsp', 'spin_lspet', 'spin_mpii',
                                     'spin_coco')])]))
val_dataloader = dict(dataset=dict(crop_size=crop_size))  # 3DPW test
test_dataloader = val_dataloader
