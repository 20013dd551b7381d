"""Model-side helpers shared by architectures and losses."""
from .alignment import (downsample_iuv, heatmap_keypoints, iuv_discrepancy,
                        iuv_discrepancy_map, joint_discrepancy, snap_index)
from .iuv_decoding import predicted_compact_iuv

__all__ = ['joint_discrepancy', 'iuv_discrepancy', 'iuv_discrepancy_map',
           'downsample_iuv', 'heatmap_keypoints', 'snap_index',
           'predicted_compact_iuv']
