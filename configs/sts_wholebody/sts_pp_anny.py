# Table I: sts_d2s_anny.py with the perspective projection (PP, §IV-C: the
# focal (f_x + f_y) / 2, in crop units, and the translation t^c of eq. 3-4
# are estimated; the camera is [f, t_x, t_y, t_z]).
_base_ = ['./sts_d2s_anny.py']
model = dict(
    projection=dict(_delete_=True, type='FocalPerspectiveProjection'),
    head=dict(cam_init=(5.0, 0.0, 0.0, 5.0), positive_cam=(0, 3)))
