"""Hooks used by hmrzoo's own tests (distributed checks)."""
import os.path as osp

import torch
from mmengine.dist import get_rank
from mmengine.hooks import Hook

from ..registry import HOOKS


@HOOKS.register_module()
class DumpParametersHook(Hook):
    """After the run, every rank saves its model parameters to
    ``work_dir/params_rank{rank}.pth`` (to check that DDP ranks agree)."""

    def after_run(self, runner) -> None:
        model = runner.model.module if hasattr(runner.model, 'module') \
            else runner.model
        params = {k: v.detach().cpu().clone()
                  for k, v in model.named_parameters()}
        torch.save(params, osp.join(runner.work_dir,
                                    f'params_rank{get_rank()}.pth'))
