"""Name-based keypoint conventions.

A *convention* is an ordered list of joint names (``KEYPOINT_CONVENTIONS``).
Converting keypoints between two conventions matches names: **a name shared
by two conventions means the same anatomical point**, and two different
names are different points.  Everything else (mappings, masks, flip pairs)
is derived from the names.

Registered conventions (size):

==================  ====  ==================================================
``smpl_24``           24  SMPL kinematic joints, SMPL order
``smpl_45``           45  ``smplx.SMPL`` output: 24 + 21 vertex joints
``smpl_54``           54  ``smpl_45`` + SPIN's 9 ``J_regressor_extra`` rows
``smpl_49``           49  SPIN: 25 OpenPose slots + 24 ground-truth joints
``smplx_55``          55  SMPL-X kinematic joints
``smplx``            127  ``smplx.SMPLX`` default output: 55 + 21 vertex
                          joints + 51 face landmarks
``smplx_144``        144  the same with ``use_face_contour=True`` (+17)
``h36m``              17  SPIN's ``J_regressor_h36m.npy`` rows
``coco``              17  COCO keypoints
``coco_wholebody``   133  17 body + 6 feet + 68 face + 21 + 21 hands
``lsp``               14  Leeds Sports Pose
``mpii``              16  MPII Human Pose
``mpi_inf_3dhp``      17  MPI-INF-3DHP test-set joints
``mpi_inf_3dhp_28``   28  MPI-INF-3DHP training annotation joints
``openpose_25``       25  OpenPose BODY_25
``openpose_137``     137  OpenPose whole body: BODY_25 + left hand 21 +
                          right hand 21 + face 70 (68 iBUG + 2 pupils)
``mediapipe_33``      33  MediaPipe Pose landmarks
``mediapipe_holistic`` 89 MediaPipe Holistic: 33 + 2 x 21 hand + 14 face
``face_68``           68  iBUG-300W face landmarks
``hand_21_left``      21  one hand, OpenPose / COCO-WholeBody order
``hand_21_right``     21
==================  ====  ==================================================

Body models register their own sets at run time with
:func:`register_convention` (e.g. ``anny``: Anny's 24 SMPL-layout joints plus the surface points of
its COCO regressor, see :mod:`hmrzoo.body_models.anny_model`).

**The ``_extra`` rule.**  Names without a suffix that match SMPL / SMPL-X
joints (``pelvis``, ``left_hip``, ``neck``, ...) are the body model's
kinematic joints.  A dataset-style point that resembles a SMPL joint but is
placed differently (annotated on the body outline, or a mocap-skeleton
point) carries the suffix ``_extra``:

* ``left_hip_extra`` / ``right_hip_extra``: hips as datasets annotate them,
  lower and wider than SMPL's hip joint centres: COCO, COCO-WholeBody,
  LSP, MPII, Human3.6M, MPI-INF-3DHP, OpenPose BODY_25 and MediaPipe hips,
  and the LSP-hip rows of SPIN's ``J_regressor_extra``.  No dataset hip is
  ``left_hip``.
* ``pelvis_extra``: MPII's pelvis (the ``J_regressor_extra`` row), and the
  root of the Human3.6M / MPI-INF-3DHP skeletons (SPIN stores them in the
  same slot); not SMPL's pelvis joint.
* ``neck_extra``: LSP's neck; MPII's upper neck, Human3.6M's thorax (joint
  8 of 17) and MPI-INF-3DHP's neck are stored as this point, as SPIN does.
* ``thorax_extra``: MPII's thorax.
* ``spine_extra``: Human3.6M's / MPI-INF-3DHP's spine point.
* ``jaw_extra``: Human3.6M's neck/nose point (joint 9 of 17; SPIN's "Jaw
  (H36M)" row); MPI-INF-3DHP's "head" joint is stored here, as SPIN does.
* ``head_extra``: SPIN's "Head (H36M)" regressor row, a point near the top
  of the head.

``headtop`` (LSP / MPII head top, Human3.6M joint 10, MPI-INF-3DHP head
top) has no SMPL counterpart and hence no suffix; Human3.6M's joint 10 is
named ``headtop`` so that SPIN's ``H36M_TO_J14`` holds by name.

Other suffixes mark points specific to one source: ``_openpose`` (SPIN's
OpenPose slots in ``smpl_49``; ``neck_openpose`` / ``pelvis_openpose`` are
BODY_25's synthetic mid-shoulder / mid-hip points), ``_mediapipe`` and
``_3dhp``.  OpenPose's and MediaPipe's other points are COCO's and share
COCO's names, so ``openpose_25`` and ``mediapipe_33`` map to ``coco``
exactly (all 17).

**Approximate mappings.**  ``approximate=True`` lets a missing name be
replaced by a near-equivalent one from the same group in
:mod:`.approximate` (e.g. ``left_hip`` ~ ``left_hip_extra`` ~
``left_hip_openpose``; ``pelvis`` ~ ``pelvis_extra`` ~ ``pelvis_openpose``;
``neck`` ~ ``neck_extra`` ~ ``neck_openpose`` ~ ``thorax_extra``;
``headtop`` ~ ``head_extra``; ``left_wrist`` ~ ``left_hand_root``) and logs
a warning listing the substitutions.  So ``coco`` -> ``lsp`` maps the hips
exactly, while ``smpl_24`` -> ``coco`` maps them only with
``approximate=True``.

**Flip pairs** come from names: the ``_``-separated token ``left`` is
swapped with ``right`` (``left_hip_extra`` <-> ``right_hip_extra``).  Face
points use a mirrored naming scheme (:mod:`.face`):
``face_<part>_<side>_<k>`` is the mirror image of the same name with the
other side, and midline points (``face_chin``, ``face_nose_bridge_k``,
``face_lip_upper_mid``, ...) have no side and flip onto themselves.

Hand joints are named ``<side>_<finger><k>`` (k = 1..3 from the palm, as
SMPL-X / MANO joints) and ``<side>_<finger>_tip``; the hand root of
hand-keypoint sets is ``<side>_hand_root`` (approximately the wrist).

API: ``KEYPOINT_CONVENTIONS``, :func:`register_convention`,
:func:`get_keypoint_names`, :func:`get_keypoint_num`,
:func:`get_keypoint_idx`, :func:`get_keypoint_idxs`, :func:`get_mapping`,
:func:`convert_kps`, :func:`get_flip_pairs`, :func:`get_flip_indices`,
:func:`register_approximate_group`.
"""
from . import (coco, face, h36m, hand, lsp, mediapipe, mpi_inf_3dhp, mpii,
               openpose, smpl, smplx)
from .approximate import (approximate_groups, get_approximate_group,
                          register_approximate_group)
from .core import (KEYPOINT_CONVENTIONS, get_keypoint_idx, get_keypoint_idxs,
                   get_keypoint_names, get_keypoint_num, register_convention)
from .flip import get_flip_indices, get_flip_pairs, mirror_name
from .mapping import convert_kps, get_mapping

for _family in (smpl, smplx, h36m, coco, lsp, mpii, mpi_inf_3dhp, openpose,
                mediapipe, face, hand):
    for _name, _names in _family.CONVENTIONS.items():
        register_convention(_name, _names)
del _family, _name, _names

__all__ = [
    'KEYPOINT_CONVENTIONS', 'register_convention', 'get_keypoint_names',
    'get_keypoint_num', 'get_keypoint_idx', 'get_keypoint_idxs',
    'get_mapping', 'convert_kps', 'get_flip_pairs', 'get_flip_indices',
    'mirror_name', 'register_approximate_group', 'approximate_groups',
    'get_approximate_group',
]
