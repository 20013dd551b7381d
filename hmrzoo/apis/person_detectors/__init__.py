"""Person detectors (``hmrzoo.registry.PERSON_DETECTORS``): the boxes of
every person in a photograph, offline.  A plugin registers its own (an
mmdet or rtmlib adapter where the user has their weights)."""
from .base import BasePersonDetector, box_iou, left_to_right
from .mediapipe_people import MediaPipePersonDetector, merge_boxes, tiles

__all__ = ['BasePersonDetector', 'MediaPipePersonDetector', 'box_iou',
           'left_to_right', 'merge_boxes', 'tiles']
