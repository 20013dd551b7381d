"""The pose prior of the self-supervised joints+depth method
(``001_01caa0c91b604013.txt``, "Pose Prior"): the decoder of an adversarial
auto-encoder, from a latent ``φ ∈ [-1, 1]^32`` to the 23 body-joint
rotations.  It is trained with the whole auto-encoder
(:class:`~hmrzoo.models.priors.PosePriorAAE`,
``configs/selfsup_depth/pose_prior_aae_anny.py``) and then loaded frozen into
the mesh model (:class:`~hmrzoo.models.heads.LatentPoseHead`).
"""
import os.path as osp
from typing import Optional, Sequence

from mmengine.runner import CheckpointLoader
from torch import Tensor, nn

from ...engine.work_dir import last_checkpoint
from ...utils.checkpoint_file import check_checkpoint
from ...utils.errors import user_error
from ...utils.rotations import rot6d_to_rotmat


def mlp(sizes: Sequence[int]) -> nn.Sequential:
    """Linear layers of ``sizes`` with LeakyReLU (0.2) between them."""
    layers = []
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(nn.Linear(a, b))
        if i < len(sizes) - 2:
            layers.append(nn.LeakyReLU(0.2))
    return nn.Sequential(*layers)


class PosePriorDecoder(nn.Module):
    """``φ`` (B, latent_dim) -> body-joint rotations (B, J, 3, 3).

    An MLP to one 6D rotation per joint (Zhou et al.'s representation,
    :func:`hmrzoo.utils.rotations.rot6d_to_rotmat`), so every output is a
    valid rotation.

    Args:
        latent_dim (int): 32 (the paper).
        num_joints (int): 23 body joints (SMPL's layout; Anny's wrapper
            shares it).
        hidden (sequence[int]): hidden widths (the paper does not give
            them; hmrzoo's choice).
        checkpoint (str, optional): where :meth:`init_weights` loads the
            trained decoder from: a checkpoint of
            :class:`~hmrzoo.models.priors.PosePriorAAE` (its ``decoder.*``
            keys) or a training work dir (its ``last_checkpoint``).
        frozen (bool): no gradient to the weights, always in eval mode (the
            paper keeps the prior frozen).
    """

    def __init__(self, latent_dim: int = 32, num_joints: int = 23,
                 hidden: Sequence[int] = (512, 512),
                 checkpoint: Optional[str] = None, frozen: bool = False):
        super().__init__()
        self.latent_dim, self.num_joints = latent_dim, num_joints
        self.net = mlp([latent_dim, *hidden, num_joints * 6])
        self.checkpoint, self.frozen = checkpoint, frozen
        if frozen:
            self.requires_grad_(False)

    def train(self, mode: bool = True):
        return super().train(mode and not self.frozen)

    def forward(self, latent: Tensor) -> Tensor:
        if latent.shape[-1] != self.latent_dim:
            raise ValueError(f'PosePriorDecoder takes (B, {self.latent_dim}) '
                             f'latents, got {tuple(latent.shape)}')
        out = self.net(latent).reshape(-1, 6)
        return rot6d_to_rotmat(out).reshape(latent.shape[0], self.num_joints,
                                            3, 3)

    def init_weights(self) -> None:
        """Load the trained decoder from ``checkpoint`` (strictly, safely:
        ``weights_only``): a file, a training work dir, or
        ``zoo://pose_prior_aae_anny_6k`` (through mmengine's loader of that
        scheme, which hmrzoo registers with the safe loader; no other
        scheme is accepted); nothing to do without one."""
        if self.checkpoint is None:
            return
        path = self.checkpoint
        if path.startswith('zoo://'):     # the zoo's safe loader
            state = CheckpointLoader.load_checkpoint(path)
        elif '://' in path:
            raise user_error(ValueError, (
                f'model.head.pose_decoder.checkpoint={path}: give a file, '
                'a training work dir or zoo://NAME; other schemes (http) '
                'would unpickle unsafely: download the file first (python '
                'tools/zoo.py, or hmrzoo.apis.download.download)'))
        elif osp.isdir(path):
            path = last_checkpoint(path)
            if path is None:
                raise user_error(FileNotFoundError, (
                    f'pose prior: {self.checkpoint} has no last_checkpoint; '
                    'train the prior first (python tools/train.py '
                    'configs/selfsup_depth/pose_prior_aae_anny.py) or set '
                    'model.head.pose_decoder.checkpoint to its checkpoint'))
        elif not osp.isfile(path):
            raise user_error(FileNotFoundError, (
                f'pose prior checkpoint not found: {path}; train the prior '
                'first (python tools/train.py configs/selfsup_depth/'
                'pose_prior_aae_anny.py) or set '
                'model.head.pose_decoder.checkpoint'))
        if not path.startswith('zoo://'):
            state = check_checkpoint(path)
        state = state.get('state_dict', state)
        mine = {k[len('decoder.'):]: v for k, v in state.items()
                if k.startswith('decoder.')}
        if not mine:
            raise user_error(KeyError, (
                f'{path} has no decoder.* weights: it is not a pose prior '
                'checkpoint (PosePriorAAE)'))
        try:
            self.load_state_dict(mine, strict=True)
        except RuntimeError as exc:
            raise user_error(ValueError, (
                f'pose prior {path} does not fit the decoder (latent_dim='
                f'{self.latent_dim}, num_joints={self.num_joints}): '
                f'{str(exc).splitlines()[0]}; train the prior with the same '
                'sizes')) from None
