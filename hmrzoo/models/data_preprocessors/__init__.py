from .synthetic_evidence import (EVIDENCE_CHANNELS,
                                 SyntheticEvidencePreprocessor,
                                 SyntheticKeypointPreprocessor)
from .detected_evidence import DetectedEvidencePreprocessor
from .roi_images import RoIImgDataPreprocessor
from .synthetic_rois import SyntheticRoIPreprocessor
from .synthetic_targets import SyntheticTargetsPreprocessor

__all__ = ['SyntheticEvidencePreprocessor', 'SyntheticKeypointPreprocessor',
           'SyntheticRoIPreprocessor', 'RoIImgDataPreprocessor',
           'EVIDENCE_CHANNELS', 'SyntheticTargetsPreprocessor',
           'DetectedEvidencePreprocessor']
