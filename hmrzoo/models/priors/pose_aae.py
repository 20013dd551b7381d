"""The adversarial auto-encoder (Makhzani et al. 2015) whose decoder is the
joints+depth method's pose prior (``001_01caa0c91b604013.txt``, "Pose
Prior"): poses -> encoder -> ``φ ∈ [-1, 1]^32`` (tanh) -> decoder -> poses,
with a discriminator that pushes the codes of real poses towards the uniform
prior on ``[-1, 1]^32``, so that any ``φ`` the mesh regressor outputs decodes
to a plausible pose.

Trained by ``tools/train.py configs/selfsup_depth/pose_prior_aae_anny.py``
on the pose samples of :class:`~hmrzoo.synthetic.SyntheticPoseDataset`
(procedural poses, or a pose bank of mocap fits); evaluated by
:class:`~hmrzoo.evaluation.PosePriorMetric`.
"""
from typing import Dict, List, Optional, Sequence

import torch
import torch.nn.functional as F
from mmengine.model import BaseModel
from torch import Tensor

from ...registry import MODELS
from ...structures import HMRDataSample, stack_field
from ...utils.rotations import rotmat_to_rot6d
from .pose_decoder import PosePriorDecoder, mlp


@MODELS.register_module()
class PosePriorAAE(BaseModel):
    """Encoder, decoder and latent discriminator.

    Args:
        latent_dim (int): 32 (the paper).
        num_joints (int): 23 body joints.
        hidden (sequence[int]): hidden widths of encoder and decoder.
        disc_hidden (sequence[int]): hidden widths of the discriminator.
        adversarial_weight (float): weight of the encoder's adversarial
            term against the reconstruction (hmrzoo's choice: the paper
            does not train its own prior's details).
        data_preprocessor (dict, optional): mmengine's default.

    Data: the samples' ``gt_body_pose`` (23, 3, 3).  Reconstruction error is
    the mean squared difference of the rotation matrices' entries.
    """

    def __init__(self, latent_dim: int = 32, num_joints: int = 23,
                 hidden: Sequence[int] = (512, 512),
                 disc_hidden: Sequence[int] = (256, 256),
                 adversarial_weight: float = 0.01,
                 data_preprocessor: Optional[dict] = None, init_cfg=None):
        super().__init__(data_preprocessor=data_preprocessor,
                         init_cfg=init_cfg)
        self.latent_dim, self.num_joints = latent_dim, num_joints
        self.encoder = mlp([num_joints * 6, *hidden, latent_dim])
        self.decoder = PosePriorDecoder(latent_dim, num_joints, hidden)
        self.discriminator = mlp([latent_dim, *disc_hidden, 1])
        self.adversarial_weight = adversarial_weight

    def encode(self, pose: Tensor) -> Tensor:
        """(B, J, 3, 3) -> (B, latent_dim) in [-1, 1]."""
        return torch.tanh(self.encoder(rotmat_to_rot6d(pose).flatten(1)))

    def _poses(self, samples: List[HMRDataSample]) -> Tensor:
        return stack_field(samples, 'gt_body_pose', self.data_preprocessor
                           .device).reshape(-1, self.num_joints, 3, 3)

    def _losses(self, pose: Tensor) -> Dict[str, Tensor]:
        code = self.encode(pose)
        rec = F.mse_loss(self.decoder(code), pose)
        fool = F.binary_cross_entropy_with_logits(
            self.discriminator(code), torch.ones_like(code[:, :1]))
        return dict(loss_rec=rec, loss_adv=self.adversarial_weight * fool,
                    code=code)

    def _disc_loss(self, code: Tensor) -> Tensor:
        prior = torch.rand_like(code) * 2 - 1
        real = self.discriminator(prior)
        fake = self.discriminator(code.detach())
        return F.binary_cross_entropy_with_logits(
            real, torch.ones_like(real)) + F.binary_cross_entropy_with_logits(
            fake, torch.zeros_like(fake))

    def train_step(self, data, optim_wrapper) -> Dict[str, Tensor]:
        """One generator step (encoder + decoder: reconstruction and
        fooling the discriminator), then one discriminator step (prior
        samples real, codes fake); ``optim_wrapper`` has the wrappers
        ``generator`` and ``discriminator``."""
        data = self.data_preprocessor(data, True)
        pose = self._poses(data['data_samples'])
        gen, disc = optim_wrapper['generator'], optim_wrapper['discriminator']
        with gen.optim_context(self):
            terms = self._losses(pose)
        code = terms.pop('code')
        loss, log = self.parse_losses(terms)
        gen.update_params(loss)
        disc.zero_grad()   # drop what the generator's term left there
        with disc.optim_context(self):
            d_loss = self._disc_loss(code)
        disc.update_params(d_loss)
        log['loss_disc'] = d_loss.detach()
        return log

    def forward(self, inputs=None, data_samples=None, mode: str = 'tensor'):
        if data_samples is None:
            raise ValueError('PosePriorAAE reads the poses of data_samples')
        pose = self._poses(data_samples)
        if mode == 'loss':
            terms = self._losses(pose)
            terms.pop('code')
            return terms
        recon = self.decoder(self.encode(pose))
        if mode == 'tensor':
            return recon
        if mode != 'predict':
            raise ValueError(f'mode must be tensor, loss or predict; got '
                             f'{mode!r}')
        for i, s in enumerate(data_samples):
            # one random code per sample, seeded by its index: the decoded
            # random poses of an evaluation are the same every run
            g = torch.Generator().manual_seed(
                int(s.metainfo.get('sample_idx', i)))
            code = torch.rand(1, self.latent_dim, generator=g) * 2 - 1
            s.pred_body_pose = recon[i].detach()
            s.pred_random_body_pose = self.decoder(
                code.to(pose))[0].detach()
        return data_samples
