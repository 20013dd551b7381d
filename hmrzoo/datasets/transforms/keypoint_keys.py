"""The 2D keypoint sets a sample may carry, listed once for every transform.

Each key holds (..., K, 3) x, y pixels (image pixels before
:class:`~.crop.AffineCrop`, crop pixels after) and a confidence (0: absent)
in the sample's ``keypoint_convention``.  The geometric transforms move all
of them identically (:func:`~.flip.flip_results` mirrors and permutes them,
:class:`~.crop.AffineCrop` maps them into each crop; the scale and
rotation of :class:`~.scale_rotation.RandomScaleRotation` reach them
through that crop) and :class:`~.packing.PackHMRInputs` packs each as the
data-sample field named here, in normalised crop coordinates with a
``<field>_mask``.
"""

#: results key -> data-sample field of :class:`~.packing.PackHMRInputs`.
#: ``keypoints2d``: the annotation's ground truth; ``keypoints2d_detected``:
#: a 2D detector's output for the same person (annotation field of the same
#: name), present only when the annotation file has it.
KEYPOINTS2D_FIELDS = {
    'keypoints2d': 'gt_keypoints2d',
    'keypoints2d_detected': 'det_keypoints2d',
}
#: the results keys of :data:`KEYPOINTS2D_FIELDS`.
KEYPOINTS2D_KEYS = tuple(KEYPOINTS2D_FIELDS)
