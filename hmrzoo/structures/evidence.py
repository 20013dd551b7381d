"""The evidence kinds a model can take as input, besides keypoint
heatmaps, and their channel counts (a data sample carries each as
``input_<kind>`` (C, H, W); the synthetic engine renders them, real-data
pipelines read them from files)."""

#: kind -> channels: compact IUV [I/24, U, V], depth (metres), silhouette,
#: RGB in [0, 1], body-part index 0..24
EVIDENCE_CHANNELS = dict(iuv=3, depth=1, silhouette=1, rgb=3, parts=1)
