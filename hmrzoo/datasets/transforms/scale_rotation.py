"""Random scale and in-plane rotation of the crop region (SPIN's rule)."""
import numpy as np
from mmcv.transforms import BaseTransform

from ...registry import TRANSFORMS
from .randomness import RandomSource, generator, resolve_rng


@TRANSFORMS.register_module()
class RandomScaleRotation(BaseTransform):
    """Draw a scale multiplier and a rotation for the crop region.

    * scale: ``s = clip(1 + N(0, 1) * scale_factor, 1 - scale_factor,
      1 + scale_factor)``; ``bbox_scale`` (w, h) is multiplied by ``s``
      (the aspect ratio is kept);
    * rotation: ``r = clip(N(0, 1) * rot_factor, -2 rot_factor,
      2 rot_factor)`` degrees with probability ``rot_prob``, else 0; added
      to ``bbox_rotation`` (degrees, sign as in :mod:`.geometry`).

    Draw order: the scale's normal, the rotation's normal, then the uniform
    deciding the rotation (mmhuman3d's ``GetRandomScaleRotation``).

    Provenance (public code read): mmhuman3d's ``GetRandomScaleRotation``
    applies the rotation with probability ``rot_prob`` (default 0.6) and
    clips as above.  SPIN's ``BaseDataset.augm_params`` uses the same clips
    (``rot_factor=30``, ``scale_factor=0.25``) but sets the rotation to zero
    with probability 0.6, i.e. rotates with probability 0.4: use
    ``rot_prob=0.4`` for SPIN's rule.

    Required keys: ``bbox_scale``.  Modified: ``bbox_scale``,
    ``bbox_rotation`` (created as 0 when absent).

    Args:
        scale_factor (float): in [0, 1). Defaults to 0.25.
        rot_factor (float): degrees, >= 0. Defaults to 30.
        rot_prob (float): probability of a rotation. Defaults to 0.6.
        rng: randomness source, see :mod:`.randomness`.
    """

    def __init__(self, scale_factor: float = 0.25, rot_factor: float = 30.,
                 rot_prob: float = 0.6, rng: RandomSource = None):
        if not 0 <= scale_factor < 1:
            raise ValueError(f'scale_factor must be in [0, 1), got '
                             f'{scale_factor}')
        if rot_factor < 0 or not 0 <= rot_prob <= 1:
            raise ValueError(f'need rot_factor >= 0 and rot_prob in [0, 1], '
                             f'got {rot_factor}, {rot_prob}')
        self.scale_factor = float(scale_factor)
        self.rot_factor = float(rot_factor)
        self.rot_prob = float(rot_prob)
        self.rng = resolve_rng(rng)

    def sample(self):
        """Draw ``(scale multiplier, rotation in degrees)``."""
        rng = generator(self.rng)
        sf, rf = self.scale_factor, self.rot_factor
        scale = float(np.clip(1 + rng.standard_normal() * sf, 1 - sf, 1 + sf))
        rot = float(np.clip(rng.standard_normal() * rf, -2 * rf, 2 * rf))
        if not rng.random() < self.rot_prob:
            rot = 0.
        return scale, rot

    def transform(self, results: dict) -> dict:
        if 'bbox_scale' not in results:
            raise KeyError('RandomScaleRotation needs bbox_scale (w, h) in '
                           f"the results of sample {results.get('sample_id')}"
                           '; keys present: ' + str(sorted(results)))
        scale, rot = self.sample()
        bbox_scale = np.asarray(results['bbox_scale'])
        results['bbox_scale'] = (bbox_scale * scale).astype(
            bbox_scale.dtype if bbox_scale.dtype.kind == 'f' else np.float32)
        results['bbox_rotation'] = float(results.get('bbox_rotation',
                                                     0.)) + rot
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(scale_factor={self.scale_factor}, '
                f'rot_factor={self.rot_factor}, rot_prob={self.rot_prob})')
