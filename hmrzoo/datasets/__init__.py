"""Datasets: synthetic on-the-fly samples, annotation-file datasets and
their transforms."""
from . import transforms  # noqa: F401  (registers the transforms)
from .human_image_dataset import HumanImageDataset
from .mixed_dataset import MixedDataset
from .synthetic_pose import SyntheticPoseDataset
from .transforms.packing import PackHMRInputs

__all__ = ['HumanImageDataset', 'MixedDataset', 'PackHMRInputs',
           'SyntheticPoseDataset']
