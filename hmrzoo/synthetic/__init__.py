"""The synthetic data engine: training data with no licensed file.

* **Scene sampling** (per sample, in the dataloader):
  :class:`SyntheticPoseDataset` draws pose (:mod:`.sources`: procedural
  sampler with joint limits, or a pose bank), shape, camera, keypoint noise
  and the look of each sample; :class:`SyntheticWholeBodyDataset` draws
  whole-body parameter vectors (body, hands, expression) for the STS
  method.
* **Posing and cropping** (batched): :mod:`.scene`.
* **Evidence rendering**: :class:`SyntheticEngine` renders IUV, depth,
  silhouette, part maps through the registered body-map renderer
  (:class:`hmrzoo.renderers.BodyMapRenderer`, the one the IUV targets use
  too) and RGB through :mod:`.appearance` (procedural textures,
  backgrounds, Lambertian shading).
* **Evidence damage**: :mod:`.damage` (training augmentations, robustness
  corruptions, IQR depth trimming), built on :mod:`.augment`.

The data preprocessors (:mod:`hmrzoo.models.data_preprocessors`) own an
engine and assemble what the network sees.
"""
from .dataset import SyntheticPoseDataset
from .engine import SyntheticEngine
from .scene import Scene
from .wholebody_dataset import SyntheticWholeBodyDataset

__all__ = ['SyntheticPoseDataset', 'SyntheticEngine', 'Scene',
           'SyntheticWholeBodyDataset']
