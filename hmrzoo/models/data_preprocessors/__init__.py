from .synthetic_evidence import (EVIDENCE_CHANNELS,
                                 SyntheticEvidencePreprocessor,
                                 SyntheticKeypointPreprocessor)
from .roi_images import RoIImgDataPreprocessor
from .synthetic_rois import SyntheticRoIPreprocessor

__all__ = ['SyntheticEvidencePreprocessor', 'SyntheticKeypointPreprocessor',
           'SyntheticRoIPreprocessor', 'RoIImgDataPreprocessor',
           'EVIDENCE_CHANNELS']
