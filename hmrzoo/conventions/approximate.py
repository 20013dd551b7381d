"""Groups of near-equivalent keypoint names for approximate mappings.

Two different names are different points.  Some of them are close enough
that a caller may accept one for the other (e.g. supervising SMPL's hip
joint with a COCO hip, or filling SPIN's OpenPose slots from SMPL joints);
``approximate=True`` in :func:`get_mapping` / :func:`convert_kps` /
:func:`get_keypoint_idx` allows exactly the substitutions listed here, and
logs each one.

Each group is ordered by preference: when the destination name is not in
the source convention, the first other member of its group that the
source has is used.  The SMPL joint comes first, so e.g. SPIN's
``right_hip_openpose`` slot is filled from ``right_hip`` when converting
``smpl_54`` -> ``smpl_49``, as SPIN does.  A name belongs to at most one
group.
"""
import threading
from typing import Dict, Iterable, List, Optional, Tuple

_SIDED_GROUPS = [
    # {s} is replaced by 'left' and by 'right'
    ('{s}_hip', '{s}_hip_extra', '{s}_hip_openpose'),
    ('{s}_shoulder', '{s}_shoulder_openpose'),
    ('{s}_elbow', '{s}_elbow_openpose'),
    ('{s}_wrist', '{s}_wrist_openpose', '{s}_hand_root'),
    ('{s}_knee', '{s}_knee_openpose'),
    ('{s}_ankle', '{s}_ankle_openpose'),
    ('{s}_eye', '{s}_eye_openpose', '{s}_eyeball'),
    ('{s}_ear', '{s}_ear_openpose'),
    ('{s}_bigtoe', '{s}_bigtoe_openpose', '{s}_foot_index_mediapipe',
     '{s}_toe_3dhp'),
    ('{s}_smalltoe', '{s}_smalltoe_openpose'),
    ('{s}_heel', '{s}_heel_openpose'),
    ('{s}_collar', '{s}_clavicle_3dhp'),
    ('{s}_hand', '{s}_hand_3dhp'),
    ('{s}_foot', '{s}_foot_3dhp'),
    ('{s}_index1', '{s}_index_mediapipe'),
    ('{s}_pinky1', '{s}_pinky_mediapipe'),
    ('{s}_thumb2', '{s}_thumb_mediapipe'),
    ('face_eye_{s}_inner', '{s}_eye_inner_mediapipe'),
    ('face_eye_{s}_outer', '{s}_eye_outer_mediapipe'),
    ('face_lip_{s}_corner', 'mouth_{s}_mediapipe'),
]

_MIDLINE_GROUPS = [
    ('pelvis', 'pelvis_extra', 'pelvis_openpose'),
    ('neck', 'neck_extra', 'neck_openpose', 'thorax_extra'),
    ('headtop', 'head_extra'),
    ('nose', 'nose_openpose'),
]

_lock = threading.Lock()
_GROUPS: List[Tuple[str, ...]] = []
_GROUP_OF: Dict[str, Tuple[str, ...]] = {}
_version = 0


def register_approximate_group(names: Iterable[str]) -> None:
    """Declare a new group of near-equivalent names (preference order).

    Raises:
        ValueError: if the group has fewer than two names, repeats a name,
            or contains a name that already belongs to a group.
    """
    global _version
    group = tuple(names)
    if len(group) < 2 or len(set(group)) != len(group):
        raise ValueError(f'an approximate group needs >= 2 distinct names, '
                         f'got {group}')
    with _lock:
        taken = [n for n in group if n in _GROUP_OF]
        if taken:
            raise ValueError(f'names already in an approximate group: {taken}')
        _GROUPS.append(group)
        for n in group:
            _GROUP_OF[n] = group
        _version += 1


def approximate_groups() -> List[Tuple[str, ...]]:
    """All groups, in registration order."""
    return list(_GROUPS)


def get_approximate_group(name: str) -> Optional[Tuple[str, ...]]:
    """The group ``name`` belongs to, or None."""
    return _GROUP_OF.get(name)


def find_substitute(name: str, available) -> Optional[str]:
    """The preferred member of ``name``'s group, other than ``name``, that is
    in ``available`` (a container of names); None if there is none."""
    group = _GROUP_OF.get(name)
    if group is None:
        return None
    for candidate in group:
        if candidate != name and candidate in available:
            return candidate
    return None


def groups_version() -> int:
    """Incremented by every registration (part of the mapping cache key)."""
    return _version


for _template in _SIDED_GROUPS:
    for _side in ('left', 'right'):
        register_approximate_group(t.format(s=_side) for t in _template)
for _group in _MIDLINE_GROUPS:
    register_approximate_group(_group)
