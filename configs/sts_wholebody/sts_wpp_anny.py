# Table I: sts_d2s_anny.py with the weak-perspective projection (WPP,
# eq. 6-7: u = s x + t_u; the camera is [s, t_u, t_v]).
_base_ = ['./sts_d2s_anny.py']
model = dict(
    projection=dict(_delete_=True, type='WeakPerspectiveProjection',
                    perspective=False),
    head=dict(cam_init=(1.0, 0.0, 0.0), positive_cam=(0, )))
