#!/usr/bin/env bash
# Distributed training on one machine with torchrun:
#   bash tools/dist_train.sh CONFIG NUM_PROCS [train.py options]
# Works on CPU (gloo) as well as on GPUs (nccl).
CONFIG=$1
NPROC=$2
PORT=${PORT:-29500}
NNODES=${NNODES:-1}
NODE_RANK=${NODE_RANK:-0}
MASTER_ADDR=${MASTER_ADDR:-"127.0.0.1"}
PYTHONPATH="$(dirname "$0")/..":$PYTHONPATH \
python -m torch.distributed.run --nnodes=$NNODES --node_rank=$NODE_RANK \
    --master_addr=$MASTER_ADDR --nproc_per_node=$NPROC --master_port=$PORT \
    "$(dirname "$0")/train.py" "$CONFIG" --launcher pytorch "${@:3}"
