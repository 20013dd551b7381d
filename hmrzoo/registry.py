"""hmrzoo's registries: children of mmengine's root registries, plus the
registries specific to human mesh recovery (body models, cameras, renderers).

Every registry lives in this one file (the mmpose 1.x layout) so that a config
``type`` can be resolved with ``default_scope = 'hmrzoo'`` and third-party
plugins can register into the same objects::

    from hmrzoo.registry import MODELS

    @MODELS.register_module()
    class MyHead(nn.Module):
        ...

``locations`` tell mmengine which modules to import before it looks a name
up, so ``MODELS.build(dict(type='HMRHead'))`` works without importing
``hmrzoo.models`` by hand.
"""
from mmengine.registry import DATA_SAMPLERS as MMENGINE_DATA_SAMPLERS
from mmengine.registry import DATASETS as MMENGINE_DATASETS
from mmengine.registry import EVALUATOR as MMENGINE_EVALUATOR
from mmengine.registry import FUNCTIONS as MMENGINE_FUNCTIONS
from mmengine.registry import HOOKS as MMENGINE_HOOKS
from mmengine.registry import LOG_PROCESSORS as MMENGINE_LOG_PROCESSORS
from mmengine.registry import LOOPS as MMENGINE_LOOPS
from mmengine.registry import METRICS as MMENGINE_METRICS
from mmengine.registry import MODEL_WRAPPERS as MMENGINE_MODEL_WRAPPERS
from mmengine.registry import MODELS as MMENGINE_MODELS
from mmengine.registry import \
    OPTIM_WRAPPER_CONSTRUCTORS as MMENGINE_OPTIM_WRAPPER_CONSTRUCTORS
from mmengine.registry import OPTIM_WRAPPERS as MMENGINE_OPTIM_WRAPPERS
from mmengine.registry import OPTIMIZERS as MMENGINE_OPTIMIZERS
from mmengine.registry import PARAM_SCHEDULERS as MMENGINE_PARAM_SCHEDULERS
from mmengine.registry import RUNNERS as MMENGINE_RUNNERS
from mmengine.registry import TRANSFORMS as MMENGINE_TRANSFORMS
from mmengine.registry import VISBACKENDS as MMENGINE_VISBACKENDS
from mmengine.registry import VISUALIZERS as MMENGINE_VISUALIZERS
from mmengine.registry import Registry

# ---- children of mmengine's root registries --------------------------------
RUNNERS = Registry('runner', parent=MMENGINE_RUNNERS)
LOOPS = Registry('loop', parent=MMENGINE_LOOPS)
HOOKS = Registry('hook', parent=MMENGINE_HOOKS, locations=['hmrzoo.engine'])
MODELS = Registry('model', parent=MMENGINE_MODELS,
                  locations=['hmrzoo.models'])
MODEL_WRAPPERS = Registry('model_wrapper', parent=MMENGINE_MODEL_WRAPPERS)
DATASETS = Registry('dataset', parent=MMENGINE_DATASETS,
                    locations=['hmrzoo.datasets', 'hmrzoo.synthetic'])
DATA_SAMPLERS = Registry('data sampler', parent=MMENGINE_DATA_SAMPLERS,
                         locations=['hmrzoo.datasets'])
TRANSFORMS = Registry('transform', parent=MMENGINE_TRANSFORMS,
                      locations=['hmrzoo.datasets'])
OPTIMIZERS = Registry('optimizer', parent=MMENGINE_OPTIMIZERS)
OPTIM_WRAPPERS = Registry('optim_wrapper', parent=MMENGINE_OPTIM_WRAPPERS)
OPTIM_WRAPPER_CONSTRUCTORS = Registry(
    'optimizer wrapper constructor',
    parent=MMENGINE_OPTIM_WRAPPER_CONSTRUCTORS)
PARAM_SCHEDULERS = Registry('parameter scheduler',
                            parent=MMENGINE_PARAM_SCHEDULERS)
METRICS = Registry('metric', parent=MMENGINE_METRICS,
                   locations=['hmrzoo.evaluation'])
EVALUATORS = Registry('evaluator', parent=MMENGINE_EVALUATOR)
VISUALIZERS = Registry('visualizer', parent=MMENGINE_VISUALIZERS)
VISBACKENDS = Registry('vis_backend', parent=MMENGINE_VISBACKENDS)
LOG_PROCESSORS = Registry('log_processor', parent=MMENGINE_LOG_PROCESSORS)
FUNCTIONS = Registry('function', parent=MMENGINE_FUNCTIONS)

# ---- registries of hmrzoo's own component kinds ---------------------------
# Body models are nn.Modules but are kept apart from MODELS so a config's
# ``body_model=dict(type=...)`` can only name a body model.
BODY_MODELS = Registry('body model', scope='hmrzoo',
                       locations=['hmrzoo.body_models'])
# Projections (weak-perspective, perspective, CLIFF full-frame, D2S, ...).
CAMERAS = Registry('camera', scope='hmrzoo', locations=['hmrzoo.cameras'])
RENDERERS = Registry('renderer', scope='hmrzoo',
                      locations=['hmrzoo.renderers'])
# 2D keypoint detectors run on raw images (the evidence of real-image
# configs; ``tools/detect_keypoints.py``).  Not nn.Modules: wrappers of
# inference engines, built by name like the other components.
KEYPOINT_DETECTORS = Registry('keypoint detector', scope='hmrzoo',
                              locations=['hmrzoo.apis.keypoint_detectors'])
# Person detectors (boxes of every person in a photograph) for the
# inference API and the demos; wrappers of inference engines like the
# keypoint detectors.
PERSON_DETECTORS = Registry('person detector', scope='hmrzoo',
                            locations=['hmrzoo.apis.person_detectors'])
# Checkpoint formats of other codebases (``tools/convert_checkpoint.py
# --format NAME``): ``fn(state_dict) -> Converted``.
CHECKPOINT_FORMATS = Registry('checkpoint format', scope='hmrzoo',
                              locations=['hmrzoo.apis.checkpoint_formats'])
# Dataset converters from official layouts (``tools/convert_datasets.py
# --dataset NAME``): ``ConverterSpec``s made by ``register_converter``.
DATASET_CONVERTERS = Registry('dataset converter', scope='hmrzoo',
                              locations=['hmrzoo.datasets.converters'])


def find_registered(name: str):
    """The class (or function) registered as ``name`` in any of hmrzoo's
    registries (mmengine's through their parents), or None.  Used by the
    config checks, which know a ``type`` but not which registry builds
    it."""
    for registry in list(globals().values()):
        if isinstance(registry, Registry):
            try:
                found = registry.get(name)
            except Exception:   # a registry whose locations fail to import
                continue
            if found is not None:
                return found
    return None
