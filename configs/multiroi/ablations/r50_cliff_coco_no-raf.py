# Table 2, row 2: without RoI-aware fusion (u_m = h_m; the mesh decoder
# reads their mean).
_base_ = ['./r50_cliff_coco.py']
model = dict(neck=None)
