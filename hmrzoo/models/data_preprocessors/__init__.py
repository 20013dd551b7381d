from .synthetic_evidence import (SyntheticEvidencePreprocessor,
                                 SyntheticKeypointPreprocessor,
                                 SyntheticTargetsPreprocessor)
from .detected_evidence import DetectedEvidencePreprocessor
from .roi_images import RoIImgDataPreprocessor
from .synthetic_rois import SyntheticRoIPreprocessor
from .synthetic_wholebody import (DetectedWholeBodyPreprocessor,
                                  SyntheticWholeBodyPreprocessor)

__all__ = ['SyntheticEvidencePreprocessor', 'SyntheticKeypointPreprocessor',
           'SyntheticRoIPreprocessor', 'RoIImgDataPreprocessor',
           'SyntheticTargetsPreprocessor',
           'DetectedEvidencePreprocessor', 'SyntheticWholeBodyPreprocessor',
           'DetectedWholeBodyPreprocessor']
