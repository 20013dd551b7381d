"""Datasets: annotation-file datasets, their mixes and transforms (the
synthetic on-the-fly samples are :mod:`hmrzoo.synthetic`)."""
from . import transforms  # noqa: F401  (registers the transforms)
from .human_image_dataset import HumanImageDataset
from .mixed_dataset import MixedDataset
from .transforms.packing import PackHMRInputs

__all__ = ['HumanImageDataset', 'MixedDataset', 'PackHMRInputs']
