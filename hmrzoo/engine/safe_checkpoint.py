"""Saving a checkpoint never loses the previous one.

mmengine's ``CheckpointHook`` deletes the oldest kept checkpoint
(``max_keep_ckpts``) *before* writing the new one, and writes straight to
the final file name: when the write fails (disk full, a quota, a refused
non-finite model) the run is left with a partial file and, with
``max_keep_ckpts=1``, no checkpoint at all.  :class:`SafeCheckpointHook`
(which ``apis.load_config`` puts in place of a configured ``CheckpointHook``,
local work dirs only) changes the order: write ``iter_N.pth.part``, rename
it to ``iter_N.pth``, only then delete the outdated checkpoint and point
``last_checkpoint`` (itself replaced atomically) at the new file.  A failed
write removes the partial file and says which file, which work dir, how
much space is left and which checkpoint ``last_checkpoint`` still names.
"""
import os
import os.path as osp
import shutil

from mmengine.dist import is_main_process
from mmengine.hooks import CheckpointHook

from ..registry import HOOKS
from ..utils.errors import UserOSError
from .finite_guard import NonFiniteError
from .work_dir import last_checkpoint, set_last_checkpoint


@HOOKS.register_module()
class SafeCheckpointHook(CheckpointHook):
    """``CheckpointHook`` that writes before it deletes (same arguments)."""

    def _save_checkpoint_with_step(self, runner, step, meta):
        final = self.file_backend.join_path(self.out_dir,
                                            self.filename_tmpl.format(step))
        outdated = None
        if self.max_keep_ckpts > 0 and not (
                self.keep_ckpt_ids and self.keep_ckpt_ids[-1] == step):
            if len(self.keep_ckpt_ids) == self.max_keep_ckpts:
                outdated = self.keep_ckpt_ids.popleft()
            self.keep_ckpt_ids.append(step)
            runner.message_hub.update_info('keep_ckpt_ids',
                                           list(self.keep_ckpt_ids))
        part = osp.basename(final) + '.part'
        try:
            runner.save_checkpoint(
                self.out_dir, part, self.file_client_args,
                save_optimizer=self.save_optimizer,
                save_param_scheduler=self.save_param_scheduler, meta=meta,
                by_epoch=self.by_epoch, backend_args=self.backend_args,
                **self.args)
            if is_main_process():
                os.replace(final + '.part', final)
        except (OSError, NonFiniteError) as err:
            self._undo(runner, step, outdated, final)
            if isinstance(err, NonFiniteError):
                raise
            free = shutil.disk_usage(self.out_dir).free / 2 ** 20
            previous = last_checkpoint(runner.work_dir) or 'no checkpoint yet'
            raise UserOSError(
                f'could not write checkpoint {final}: {err}. The work dir '
                f'{runner.work_dir} has {free:.0f} MiB free; no checkpoint '
                'was deleted and last_checkpoint still names '
                f'{previous}. Free some space (or lower '
                'default_hooks.checkpoint.max_keep_ckpts), then resume with '
                '--resume.') from err
        self.last_ckpt = final
        runner.message_hub.update_info('last_ckpt', final)
        if not is_main_process():
            return
        if outdated is not None:
            old = self.file_backend.join_path(
                self.out_dir, self.filename_tmpl.format(outdated))
            if osp.isfile(old):
                os.remove(old)
        set_last_checkpoint(runner.work_dir, final)

    def _undo(self, runner, step, outdated, final) -> None:
        """Put the kept-checkpoint list back and drop the partial file."""
        if self.keep_ckpt_ids and self.keep_ckpt_ids[-1] == step:
            self.keep_ckpt_ids.pop()
            if outdated is not None:
                self.keep_ckpt_ids.appendleft(outdated)
            runner.message_hub.update_info('keep_ckpt_ids',
                                           list(self.keep_ckpt_ids))
        if is_main_process() and osp.exists(final + '.part'):
            os.remove(final + '.part')
