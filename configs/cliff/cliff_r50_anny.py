# CLIFF on synthetic RGB crops of Anny: HMR plus the bounding-box
# information input and the reprojection through the full-image camera.
# Nothing but configuration differs from configs/hmr/r50_hmr_anny.py.
#   python tools/train.py configs/cliff/cliff_r50_anny.py
_base_ = ['../hmr/r50_hmr_anny.py']
model = dict(
    # the head's 3 extra inputs follow from bbox_info
    bbox_info='cliff',
    # 2D loss in each crop's normalised frame after projecting with the
    # full-image camera (focal and image size from the sample's metainfo)
    projection=dict(_delete_=True, type='CliffFullFrameProjection'))
