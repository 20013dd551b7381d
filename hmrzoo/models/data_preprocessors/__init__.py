from .synthetic_evidence import (EVIDENCE_CHANNELS,
                                 SyntheticEvidencePreprocessor,
                                 SyntheticKeypointPreprocessor)

__all__ = ['SyntheticEvidencePreprocessor', 'SyntheticKeypointPreprocessor',
           'EVIDENCE_CHANNELS']
