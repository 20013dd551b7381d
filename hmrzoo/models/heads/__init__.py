from .cra_fusion import CRAFusion
from .cra_stream import CRAStream, CRAStreams, FineFeatureMLP
from .ief_head import IEFHead, ief_decoder, ief_mlp, initial_parameters
from .iuv_decoder import IUVDecoder
from .iuv_head import IUVPredictor
from .latent_pose_head import LatentPoseHead
from .multiroi_head import MultiRoIHead
from .multiroi_official_head import MultiRoIPerRoIHead
from .point_features import PointFeatureReducer, grid_points, sample_points
from .pymaf_head import PyMAFHead
from .sts_head import STSWholeBodyHead

__all__ = ['IEFHead', 'MultiRoIHead', 'MultiRoIPerRoIHead', 'IUVPredictor',
           'PointFeatureReducer',
           'initial_parameters', 'ief_mlp', 'ief_decoder', 'grid_points',
           'sample_points', 'CRAStream', 'CRAStreams', 'CRAFusion',
           'FineFeatureMLP', 'IUVDecoder', 'PyMAFHead', 'LatentPoseHead',
           'STSWholeBodyHead']
