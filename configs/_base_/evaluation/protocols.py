# The evaluation protocols of the literature as ProtocolMetric presets
# (hmrzoo/evaluation/metrics/protocol_metric.py documents the facts behind
# them).  A config picks one by name:
#
#   _base_ = ['../_base_/evaluation/protocols.py']
#   val_evaluator = {{_base_.pw3d_evaluator}}
#   test_evaluator = val_evaluator
#
# or picks one and changes a field, e.g. CRA's Human3.6M numbers on the 17
# H36M joints:
#
#   test_evaluator = dict(_base_.h36m_p1_evaluator, joints='h36m')
#
# Every preset names its joints, root and sources; none depends on a
# dataset name.  Files: data/body_models/J_regressor_h36m.npy
# and, for 3DPW, SMPL_{NEUTRAL,MALE,FEMALE} under data/body_models/smpl
# (see tools/convert_body_model.py and docs/data_preparation.md).

# SPIN / PyMAF / CLIFF / Multi-RoI: 17 joints regressed from the mesh with
# J_regressor_h36m, pelvis (regressor row 0) as the root, the 14 LSP joints
# of H36M_TO_J14 evaluated.
_spin_protocol = dict(
    type='ProtocolMetric', joints='lsp', root=['pelvis_extra'],
    pred_joints='regressor',
    regressor='data/body_models/J_regressor_h36m.npy',
    regressor_convention='h36m')

# 3DPW test: ground truth from the SMPL of the annotated gender (no
# translation), joints by the same regressor; PVE with each mesh centred on
# its own regressed pelvis; MPJPE-SC as CRA reports it.
pw3d_evaluator = dict(
    _spin_protocol,
    metric=['MPJPE', 'PA-MPJPE', 'PVE', 'MPJPE-SC'],
    gt_joints='body_model',
    body_models=dict(
        neutral=dict(type='SMPL', model_path='data/body_models',
                     gender='neutral'),
        male=dict(type='SMPL', model_path='data/body_models', gender='male'),
        female=dict(type='SMPL', model_path='data/body_models',
                    gender='female')),
    vertex_centring='root',
    data_description='3DPW test (gendered SMPL ground truth, 14 LSP joints)')

# Human3.6M protocol 1: subjects S9 and S11, all four cameras; the mocap
# joints of the annotation (the sample's keypoint_convention), same root.
h36m_p1_evaluator = dict(
    _spin_protocol,
    metric=['MPJPE', 'PA-MPJPE'],
    gt_joints='keypoints',
    data_description='Human3.6M protocol 1 (S9, S11, all cameras)')

# Human3.6M protocol 2: the same subjects, frontal camera 60457274 only;
# PA-MPJPE is its headline number.
h36m_p2_evaluator = dict(
    h36m_p1_evaluator,
    metric=['PA-MPJPE', 'MPJPE'],
    data_description='Human3.6M protocol 2 (S9, S11, camera 60457274)')

# MPI-INF-3DHP test: the 17 test joints (univ_annot3), pelvis root, PCK at
# 150 mm and AUC over 0..150 mm; CRA reports PCK / AUC / PA-MPJPE after
# rigid alignment (PA-PCK, PA-AUC), the unaligned ones come along.
mpi_inf_3dhp_evaluator = dict(
    _spin_protocol,
    joints='mpi_inf_3dhp',
    metric=['PA-PCK', 'PA-AUC', 'PA-MPJPE', 'PCK', 'AUC', 'MPJPE'],
    gt_joints='keypoints',
    pck_threshold=150.,
    data_description='MPI-INF-3DHP test (17 joints, univ_annot3)')

del _spin_protocol
