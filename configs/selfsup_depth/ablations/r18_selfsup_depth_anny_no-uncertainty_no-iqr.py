# Table 1, "Ours - uncertainty - T_IQR": "Ours - uncertainty" with the
# original (untrimmed) depth maps, as the network's input and as the depth
# loss's pseudo ground truth (the trimmer sits before both in Fig. 1).
_base_ = ['../r18_selfsup_depth_anny.py']
model = dict(data_preprocessor=dict(depth_iqr_trim=False),
             self_consistency=dict(reliability=None))
val_evaluator = dict(data_description='held-out synthetic Anny set (seed '
                     '1234, 512 samples, clean COCO-17 heatmaps, depth '
                     'corrupted as in training, not trimmed, 64x64)')
test_evaluator = val_evaluator
