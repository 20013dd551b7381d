# What the paper-setting SMPL configs share besides their data: the image
# normalisation of real crops and the validation / test loops.  Each config
# picks its protocol from _base_/evaluation/protocols.py (listed among its
# own bases):
#   val_evaluator = {{_base_.pw3d_evaluator}}
#   test_evaluator = val_evaluator
# ImageNet statistics on BGR images, converted to RGB.
image_preprocessor = dict(type='ImgDataPreprocessor',
                          mean=[123.675, 116.28, 103.53],
                          std=[58.395, 57.12, 57.375], bgr_to_rgb=True)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
