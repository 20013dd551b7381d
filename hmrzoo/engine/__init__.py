from .checkpoint_coverage import (CheckpointCoverageHook,
                                  CheckpointMismatchError, coverage_report)
from .config_check import check_cfg_options, check_top_level_keys
from .ddp import DeviceAgnosticDDP
from ..utils.errors import UserInputError, user_error
from .finite_guard import FiniteGuardHook, NonFiniteError
from .image_network_precision import ImageNetworkPrecisionHook
from .optim_constructors import SubmoduleOptimWrapperConstructor
from .paper_differences import announce_paper_differences, paper_differences
from .plugins import check_plugin_types, load_plugins
from .required_data import MissingDataError, check_required_data
from .safe_checkpoint import SafeCheckpointHook
from .smpl_supervision import SMPLSupervisionHook, smpl_sources
from .zero_loss_watch import ZeroLossWatchHook

__all__ = ['ImageNetworkPrecisionHook', 'load_plugins', 'check_plugin_types', 'check_cfg_options',
           'check_top_level_keys', 'DeviceAgnosticDDP', 'check_required_data',
           'MissingDataError', 'CheckpointCoverageHook',
           'CheckpointMismatchError', 'coverage_report', 'FiniteGuardHook',
           'NonFiniteError', 'SafeCheckpointHook',
           'SubmoduleOptimWrapperConstructor', 'UserInputError',
           'user_error', 'announce_paper_differences', 'paper_differences',
           'ZeroLossWatchHook', 'SMPLSupervisionHook', 'smpl_sources']
