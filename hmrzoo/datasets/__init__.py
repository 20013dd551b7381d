"""Datasets: synthetic on-the-fly samples and annotation-file datasets."""
from .synthetic_pose import SyntheticPoseDataset

__all__ = ['SyntheticPoseDataset']
