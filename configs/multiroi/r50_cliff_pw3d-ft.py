# Multi-RoI's second training stage (§4.2): the model of r50_cliff.py
# fine-tuned on the 3DPW training set for 5 more epochs at lr 1e-5 (the
# paper's Table 1 3DPW figures come after it), tested on 3DPW test.
#   python tools/convert_datasets.py --dataset 3dpw \
#       --root data/datasets/pw3d --split train
#   python tools/train.py configs/multiroi/r50_cliff.py      # stage 1
#   python tools/train.py configs/multiroi/r50_cliff_pw3d-ft.py
# Stage 1's last checkpoint is read from work_dirs/r50_cliff/epoch_25.pth
# (checked at start-up with the data; another one with
# --cfg-options load_from=PATH).
_base_ = ['./r50_cliff.py']
_stage1 = 'work_dirs/r50_cliff/epoch_25.pth'
_pw3d = _base_.paper_sources['pw3d']
required_data = dict(files=[
    _base_.paper_required['pw3d'],
    dict(path=_pw3d['ann_file'].replace('pw3d_test', 'pw3d_train'),
         what='3DPW training annotations',
         how='`python tools/convert_datasets.py --dataset 3dpw --root '
             'data/datasets/pw3d --split train` (docs/data_preparation.md)'),
    dict(path=_stage1, what='the stage-1 Multi-RoI checkpoint',
         how='`python tools/train.py configs/multiroi/r50_cliff.py` (or '
             '--cfg-options load_from=PATH and required_data.files.2.path='
             'PATH for another one)')])
load_from = _stage1
# 3DPW train alone, with the stage-1 sources' crop, RoIs and augmentation
train_dataloader = dict(dataset=dict(
    ratios=[1.0],
    datasets=[dict(ann_file=_pw3d['ann_file'].replace('pw3d_test',
                                                       'pw3d_train'),
                   data_prefix=_pw3d['data_prefix'])]))
optim_wrapper = dict(optimizer=dict(lr=1e-5))
train_cfg = dict(max_epochs=5, val_interval=1)
