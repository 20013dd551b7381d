"""Extract chosen frames of a video file as images (OpenCV).

Releases that ship videos (Human3.6M, the MPI-INF-3DHP training set) are
converted to annotations that point at single frames; with a converter's
``extract_frames=True`` option this writes those frames.  It is the only
place where converters decode pixels.
"""
import os
import os.path as osp
from typing import List, Mapping

import cv2


def extract_frames(video: str, targets: Mapping[int, str]) -> List[int]:
    """Write frames of ``video`` to image files.

    The video is decoded sequentially from its first frame up to the last
    wanted one; frames whose output file already exists are not written
    again (an interrupted extraction resumes), and when every output
    exists the video is not opened at all.

    Args:
        video: the video file.
        targets: 0-based frame index -> output image path (its extension
            picks the format, e.g. ``.jpg``); folders are created.

    Returns:
        list[int]: sorted indices the video does not hold (it ended
        earlier); their files are not written.

    Raises:
        FileNotFoundError: ``video`` does not exist.
        OSError: OpenCV cannot open the video or write an image.
    """
    todo = {int(i): p for i, p in targets.items() if not osp.exists(p)}
    if not todo:
        return []
    if not osp.isfile(video):
        raise FileNotFoundError(f'video not found: {video} (needed to '
                                f'extract {len(todo)} frames)')
    capture = cv2.VideoCapture(video)
    if not capture.isOpened():
        raise OSError(f'OpenCV cannot open the video {video}; is opencv '
                      'built with a video backend (FFMPEG)?')
    try:
        last, index = max(todo), 0
        while index <= last and capture.grab():
            path = todo.get(index)
            if path is not None:
                ok, image = capture.retrieve()
                if not ok:
                    break
                os.makedirs(osp.dirname(path) or '.', exist_ok=True)
                if not cv2.imwrite(path, image):
                    raise OSError(f'cannot write {path} (frame {index} of '
                                  f'{video})')
                del todo[index]
            index += 1
    finally:
        capture.release()
    return sorted(todo)
