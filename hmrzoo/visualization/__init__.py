"""Pictures of results: meshes over photographs, side views, keypoints."""
from .mesh_overlay import (PALETTE, draw_keypoints, overlay, render_people,
                           side_view)

__all__ = ['overlay', 'side_view', 'draw_keypoints', 'render_people',
           'PALETTE']
