"""Batched augmentations of synthetic evidence (keypoints, IUV, depth);
they run where the evidence is made, in the model's data preprocessor."""
from .depth import (add_depth_holes, add_depth_outliers,
                    blur_silhouette_edge, corrupt_depth, iqr_bounds,
                    iqr_trim, relative_depth, scale_offset_depth)
from .iuv import drop_coarse_part
from .keypoints import (LIMB_END_JOINTS, drop_named_keypoints,
                        occlude_rectangle, perturb_keypoints,
                        random_rectangles)

__all__ = ['iqr_bounds', 'iqr_trim', 'add_depth_outliers',
           'add_depth_holes', 'scale_offset_depth', 'blur_silhouette_edge',
           'corrupt_depth', 'relative_depth',
           'perturb_keypoints', 'drop_named_keypoints', 'occlude_rectangle',
           'random_rectangles', 'LIMB_END_JOINTS', 'drop_coarse_part']
