"""What the keypoint and person detectors share: a wrapper of an inference
engine, called on one image, released by :meth:`close` or a ``with``
block."""


class Detector:
    """Calling a detector calls :meth:`detect`; :meth:`close` releases its
    engine (the detector is unusable after); a detector is a context
    manager."""

    def detect(self, image):
        raise NotImplementedError

    def __call__(self, image):
        return self.detect(image)

    def close(self) -> None:
        """Release the inference engine; the detector is unusable after."""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()
