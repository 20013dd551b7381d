# Synthetic RGB scenes of the body model seen through bounding boxes, for
# the RGB methods (HMR, CLIFF, Multi-RoI) on the embedded default.  The
# camera is a wide-angle one (focal = the 512-pixel image's diagonal, the
# value CLIFF assumes when none is known) with people 4-10 m away and up to
# a quarter of their depth off-axis, so the bbox's place in the image
# matters.  The model's data preprocessor (SyntheticRoIPreprocessor) renders
# the RoIs; the test set is a fixed seed.
synthetic_scene_camera = dict(focal_length=724.08, img_size=512,
                              depth_range=(4., 10.), xy_range=0.25)
train_dataloader = dict(
    batch_size=8,
    num_workers=0,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    collate_fn=dict(type='pseudo_collate'),
    dataset=dict(type='SyntheticPoseDataset', num_samples=1000000, seed=0,
                 num_keypoints=17, camera=synthetic_scene_camera))
val_dataloader = dict(
    batch_size=32,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    collate_fn=dict(type='pseudo_collate'),
    dataset=dict(type='SyntheticPoseDataset', num_samples=512, seed=1234,
                 num_keypoints=17, camera=synthetic_scene_camera,
                 test_mode=True))
test_dataloader = val_dataloader
