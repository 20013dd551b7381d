# Synthetic whole-body parameter vectors (body x hands x expression x shape x
# camera), turned into paired COCO-WholeBody keypoints by the model's data
# preprocessor (SyntheticWholeBodyPreprocessor).  The camera is a 1000-pixel
# focal pinhole looking at the body from 1.3 to 15 m (log-uniform: close
# shots as frequent as far ones); the crop frames the keypoints, so only
# the distance (the perspective) matters, not the focal.
wholebody_camera = dict(focal_length=1000., img_size=1000,
                        depth_range=(1.3, 15.), xy_range=0.0, log_depth=True)
# held-out test sets: close shots (camera 1.3-2 m from the body: strong
# foreshortening) and far shots (8-15 m: nearly orthographic)
close_shot_camera = dict(wholebody_camera, depth_range=(1.3, 2.0),
                         log_depth=False)
far_shot_camera = dict(wholebody_camera, depth_range=(8., 15.),
                       log_depth=False)
train_dataloader = dict(
    batch_size=16,
    num_workers=0,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    collate_fn=dict(type='pseudo_collate'),
    dataset=dict(type='SyntheticWholeBodyDataset', num_samples=1000000,
                 seed=0, camera=wholebody_camera, keypoint_jitter=0.02,
                 keypoint_dropout=0.05))
val_dataloader = dict(
    batch_size=64,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    collate_fn=dict(type='pseudo_collate'),
    dataset=dict(type='SyntheticWholeBodyDataset', num_samples=256,
                 seed=4321, camera=close_shot_camera, test_mode=True))
test_dataloader = val_dataloader
