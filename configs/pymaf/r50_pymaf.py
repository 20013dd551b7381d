# PyMAF (ResNet-50): a deconvolution pyramid (14², 28², 56² for 224² crops,
# 256 channels), one regressor per level fed with point-wise features (a
# 21x21 grid at t = 0, the mesh downsampled to 431 points and projected
# with the current camera at t > 0, each reduced to 5 channels), the
# auxiliary IUV head on the 56² level, the losses of eq. 2 on every
# iteration.  Adam 5e-5, batch 64.  Paper setting: SMPL, SPIN's training
# mix, tested on 3DPW; the embedded variant is
# configs/pymaf/r50_pymaf_anny.py.  Official weights convert with
#   python tools/convert_checkpoint.py --format pymaf SRC DST
_base_ = ['../_base_/default_runtime.py',
          '../_base_/body_models/smpl.py',
          '../_base_/evaluation/protocols.py',
          '../_base_/paper_evaluation.py',
          '../_base_/datasets/paper_data_files.py',
          '../_base_/models/pymaf_r50.py']
# SPIN's training mix (§4.2), in place of the mix of paper_data_files.py:
# Human3.6M (0.3), MPI-INF-3DHP (0.1) and the 2D datasets LSP, LSP-ET, MPII,
# COCO (0.6 together, split by length) with their pseudo ground-truth SMPL
# fits; tested on 3DPW.  The converted files are checked before anything is
# built (`required_data`).
required_data = dict(
    body_models=[('smpl', 'neutral'), ('smpl', 'male'), ('smpl', 'female'),
                 ('J_regressor_extra', None), ('J_regressor_h36m', None),
                 ('smpl_mean_params', None), ('mesh_downsampling', None)],
    files=[_base_.paper_required[k]
           for k in ('h36m', 'mpi_inf_3dhp', 'spin_lsp', 'spin_lspet',
                     'spin_mpii', 'spin_coco', 'pw3d')],
    embedded_variant='configs/pymaf/r50_pymaf_anny.py')
crop_size = (224, 224)
train_dataloader = dict(
    batch_size=64,
    dataset=dict(
        _delete_=True,
        type='MixedDataset',
        # SPIN's partition: 0.3 H36M, 0.1 MPI-INF-3DHP, 0.6 the 2D sets
        # (LSP, LSP-ET, MPII, COCO) in proportion to their lengths
        ratios=[0.3, 0.1, 0.6],
        defaults=dict(type='HumanImageDataset', crop_size=crop_size,
                      keypoint_convention='smpl_54', test_mode=False),
        datasets=[
            _base_.paper_sources['h36m'], _base_.paper_sources['mpi_inf_3dhp'],
            dict(type='ConcatDataset', datasets=[
                _base_.paper_sources[k]
                for k in ('spin_lsp', 'spin_lspet', 'spin_mpii',
                          'spin_coco')])]))
val_dataloader = dict(dataset=dict(crop_size=crop_size))  # 3DPW test
test_dataloader = val_dataloader
# The literature's 3DPW protocol (SPIN / PyMAF / CLIFF / Multi-RoI): 14 LSP
# joints regressed with J_regressor_h36m, pelvis-centred, ground truth from
# the SMPL of the annotated gender (_base_/evaluation/protocols.py).
val_evaluator = {{_base_.pw3d_evaluator}}
test_evaluator = val_evaluator
model = dict(
    data_preprocessor={{_base_.image_preprocessor}},
    # ImageNet ResNet-50 (PyMAF's POSE_RES_MODEL), through the zoo
    backbone=dict(init_cfg=dict(
        type='Pretrained', prefix='backbone.',
        checkpoint='zoo://resnet50_imagenet_torchvision_v1')),
    head=dict(mean_params='data/body_models/smpl_mean_params.npz'),
    downsampling='data/body_models/mesh_downsampling.npz',
    body_model={{_base_.body_model}},
    # SPIN's root for the 3D losses: the mid-hip of the dataset hips
    # (smpl_54's right/left_hip_extra), which every 3D dataset labels
    root_indices=[45, 46])
optim_wrapper = dict(type='OptimWrapper',
                     optimizer=dict(type='Adam', lr=5e-5))
param_scheduler = []
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=60, val_interval=5)
# epoch-based: one checkpoint per epoch, the last three kept
default_hooks = dict(checkpoint=dict(by_epoch=True, interval=1,
                                     max_keep_ckpts=3))
log_processor = dict(by_epoch=True)
