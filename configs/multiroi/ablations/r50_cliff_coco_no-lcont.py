# Table 2, row 4: without the contrastive loss (and its projection head).
_base_ = ['./r50_cliff_coco.py']
model = dict(losses=dict(contrastive=None))
