from .synthetic_keypoints import SyntheticKeypointPreprocessor

__all__ = ['SyntheticKeypointPreprocessor']
