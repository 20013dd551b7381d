# CLIFF with the classification HRNet-W48 encoder (2048-d feature).
# Official weights convert with
#   python tools/convert_checkpoint.py --format cliff-hr48 SRC DST
_base_ = ['./cliff_r50.py']
model = dict(backbone=dict(_delete_=True, type='HRNet', arch='w48',
                           out_type='cls'))
optim_wrapper = dict(optimizer=dict(lr=5e-5))
train_dataloader = dict(batch_size=20)
