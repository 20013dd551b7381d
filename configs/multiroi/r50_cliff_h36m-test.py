# Multi-RoI (r50) tested on Human3.6M protocol 2 (14 joints regressed from
# the mesh, pelvis-centred; MPJPE / PA-MPJPE), the paper's second benchmark;
# training is that of r50_cliff.py.
#   python tools/test.py configs/multiroi/r50_cliff_h36m-test.py CKPT
_base_ = ['./r50_cliff.py']
# testing needs SMPL and the test file only
required_data = dict(files=[_base_.paper_required['h36m_p2']])
test_dataloader = dict(dataset=dict(_base_.paper_sources['h36m_p2'],
                                    required=('keypoints3d', ),
                                    test_mode=True))
test_evaluator = dict(_base_.h36m_p2_evaluator, _delete_=True)
