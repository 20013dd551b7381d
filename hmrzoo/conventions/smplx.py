"""SMPL-X layouts, as the installed ``smplx`` package (0.1.28) orders the
``joints`` it returns.

* ``smplx_55``: the 55 joints of the kinematic tree: 22 body joints (SMPL's
  first 22), jaw, left / right eyeball, then 15 left-hand and 15 right-hand
  finger joints in smplx's order (index, middle, pinky, ring, thumb; three
  joints each).
* ``smplx``: what ``smplx.SMPLX(...)`` returns by default
  (``use_face_contour=False``): ``smplx_55`` + the 21 vertex joints of
  its ``VertexJointSelector`` (same points and order as in ``smpl_45``) +
  the 51 static face landmarks (iBUG 17..67) = 127.
* ``smplx_144``: the same with ``use_face_contour=True``: the 17 dynamic
  contour landmarks (iBUG 0..16) are appended = 144.

smplx's own names differ in places; hmrzoo uses ``left_eyeball`` for its
``left_eye_smplhf`` (the eyeball joint), ``left_bigtoe`` for its
``left_big_toe``, ``left_thumb_tip`` for its ``left_thumb`` (a vertex on
the tip) and the ``face_*`` names of :mod:`.face` for its landmarks.
"""
from .face import FACE_CONTOUR_17, FACE_INNER_51
from .smpl import SMPL_24, VERTEX_JOINTS_21

_SMPLX_FINGER_ORDER = ('index', 'middle', 'pinky', 'ring', 'thumb')

SMPLX_55 = SMPL_24[:22] + ['jaw', 'left_eyeball', 'right_eyeball'] + [
    f'{side}_{finger}{k}' for side in ('left', 'right')
    for finger in _SMPLX_FINGER_ORDER for k in (1, 2, 3)
]

SMPLX_127 = SMPLX_55 + VERTEX_JOINTS_21 + FACE_INNER_51
SMPLX_144 = SMPLX_127 + FACE_CONTOUR_17

CONVENTIONS = {
    'smplx_55': SMPLX_55,
    'smplx': SMPLX_127,
    'smplx_144': SMPLX_144,
}
