"""The 68 facial landmarks of the iBUG-300W scheme, with mirrored names.

Used by ``coco_wholebody`` (its 68 face points) and by SMPL-X's landmark
embedding (51 static points = iBUG 17..67, 17 dynamic contour points =
iBUG 0..16).

Naming scheme (hmrzoo's own): every name starts with ``face_``; a point
that has a mirror image across the face's midline contains the token
``left`` or ``right`` (the subject's side, as for body joints) and its
mirror has the same name with that token swapped, so flip pairs follow
from the names; points on the midline (chin, nose bridge, nose base, lip
midpoints) carry no side token and map onto themselves.  Numbered points
are numbered from the outside in (contour: from the ear down to the chin;
brows: from the outer end; nostrils: from the outer wing; lips: from the
corner), so ``..._right_k`` and ``..._left_k`` are mirror images.
"""


def _contour():
    right = [f'face_contour_right_{k}' for k in range(1, 9)]  # iBUG 0..7
    left = [f'face_contour_left_{k}' for k in range(8, 0, -1)]  # iBUG 9..16
    return right + ['face_chin'] + left


def _brows():
    return ([f'face_brow_right_{k}' for k in range(1, 6)] +  # 17..21
            [f'face_brow_left_{k}' for k in range(5, 0, -1)])  # 22..26


def _nose():
    return ([f'face_nose_bridge_{k}' for k in range(1, 5)] +  # 27..30
            ['face_nostril_right_2', 'face_nostril_right_1', 'face_nose_base',
             'face_nostril_left_1', 'face_nostril_left_2'])  # 31..35


def _eyes():
    return [
        # right eye, iBUG 36..41: outer corner, upper lid, inner corner,
        # lower lid
        'face_eye_right_outer', 'face_eye_right_upper_outer',
        'face_eye_right_upper_inner', 'face_eye_right_inner',
        'face_eye_right_lower_inner', 'face_eye_right_lower_outer',
        # left eye, iBUG 42..47: inner corner, upper lid, outer corner,
        # lower lid
        'face_eye_left_inner', 'face_eye_left_upper_inner',
        'face_eye_left_upper_outer', 'face_eye_left_outer',
        'face_eye_left_lower_outer', 'face_eye_left_lower_inner',
    ]


def _mouth():
    outer = [  # iBUG 48..59, clockwise in the image from the right corner
        'face_lip_right_corner', 'face_lip_upper_right_2',
        'face_lip_upper_right_1', 'face_lip_upper_mid',
        'face_lip_upper_left_1', 'face_lip_upper_left_2',
        'face_lip_left_corner', 'face_lip_lower_left_2',
        'face_lip_lower_left_1', 'face_lip_lower_mid',
        'face_lip_lower_right_1', 'face_lip_lower_right_2',
    ]
    inner = [  # iBUG 60..67
        'face_lip_inner_right_corner', 'face_lip_inner_upper_right',
        'face_lip_inner_upper_mid', 'face_lip_inner_upper_left',
        'face_lip_inner_left_corner', 'face_lip_inner_lower_left',
        'face_lip_inner_lower_mid', 'face_lip_inner_lower_right',
    ]
    return outer + inner


FACE_68 = _contour() + _brows() + _nose() + _eyes() + _mouth()
FACE_CONTOUR_17 = FACE_68[:17]
FACE_INNER_51 = FACE_68[17:]

assert len(FACE_68) == 68 and len(set(FACE_68)) == 68

CONVENTIONS = {'face_68': FACE_68}
