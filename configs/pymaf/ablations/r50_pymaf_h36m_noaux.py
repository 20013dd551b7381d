# Table 4, last row / Table 5, row 1: PyMAF without auxiliary
# supervision.
_base_ = ['./r50_pymaf_h36m.py']
model = dict(iuv_head=None, losses=dict(iuv=None))
