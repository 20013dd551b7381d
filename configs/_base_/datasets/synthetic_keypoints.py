# Synthetic pose x shape x camera samples, turned into COCO-17 keypoint
# heatmaps by the model's data preprocessor.  The test set is a fixed seed.
synthetic_camera = dict(focal_length=5000., img_size=256,
                        depth_range=(25., 45.), xy_range=0.01)
# Sampling parameters is cheap (the body model runs batched in the model's
# data preprocessor), so no worker processes are needed.
# Batch 16 keeps a CPU iteration near one second (2 cores); raise it on a GPU.
train_dataloader = dict(
    batch_size=16,
    num_workers=0,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    collate_fn=dict(type='pseudo_collate'),
    dataset=dict(type='SyntheticPoseDataset', num_samples=1000000, seed=0,
                 num_keypoints=17, camera=synthetic_camera,
                 keypoint_jitter=0.01, keypoint_dropout=0.1))
val_dataloader = dict(
    batch_size=64,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    collate_fn=dict(type='pseudo_collate'),
    dataset=dict(type='SyntheticPoseDataset', num_samples=512, seed=1234,
                 num_keypoints=17, camera=synthetic_camera, test_mode=True))
test_dataloader = val_dataloader
