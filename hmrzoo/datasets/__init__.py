"""Datasets: synthetic on-the-fly samples and annotation-file datasets."""
from .human_image_dataset import HumanImageDataset
from .mixed_dataset import MixedDataset
from .synthetic_pose import SyntheticPoseDataset

__all__ = ['HumanImageDataset', 'MixedDataset', 'SyntheticPoseDataset']
