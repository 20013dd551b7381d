"""2D keypoint detectors on raw images, registered in
``hmrzoo.registry.KEYPOINT_DETECTORS`` (``tools/detect_keypoints.py``
writes their output as an annotation file); :func:`detect_in_box` runs one
on a known person's box (multi-person images).

Importing this package does not import any inference engine: each detector
imports its own when it is built.
"""
from .base import BaseKeypointDetector, box_around
from .in_box import crop_window, detect_in_box, detect_in_growing_box
from .mediapipe_holistic import MediaPipeHolisticDetector
from .mediapipe_pose import MediaPipePoseDetector

__all__ = ['BaseKeypointDetector', 'MediaPipePoseDetector',
           'MediaPipeHolisticDetector', 'box_around',
           'crop_window', 'detect_in_box', 'detect_in_growing_box']
