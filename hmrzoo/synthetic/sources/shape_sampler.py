"""Shape sources: body-model shape parameters ~ N(mean, std^2)."""
from typing import Dict, Sequence, Union

import numpy as np


class GaussianShapeSampler:
    """Draw shape parameters ``betas ~ N(mean, std^2)`` independently.

    For SMPL, betas in the model's PCA space: CRA §3.2 draws them from the
    "prior statistics" of STRAPS (its [43]), whose code uses N(0, 1.5^2)
    per coefficient (``std=1.5``, the CRA paper config); N(0, 1) is the
    default of the other synthetic configs.  For Anny, betas are logits of
    the phenotypes (see :mod:`hmrzoo.body_models.anny_model`); std 1 keeps
    most phenotypes within [0.12, 0.88].

    Args:
        num_betas (int): size of the shape vector.
        mean (float | sequence): per-coefficient mean. Default 0.
        std (float | sequence): per-coefficient standard deviation.
    """

    def __init__(self, num_betas: int, mean: Union[float, Sequence] = 0.,
                 std: Union[float, Sequence] = 1.):
        self.num_betas = num_betas
        self.mean = np.broadcast_to(np.asarray(mean, float), (num_betas,))
        self.std = np.broadcast_to(np.asarray(std, float), (num_betas,))

    def __call__(self, rng: np.random.Generator) -> Dict[str, np.ndarray]:
        return dict(betas=self.mean + self.std * rng.standard_normal(
            self.num_betas))
