"""One optimizer per group of submodules, for models trained with several
(an adversarial auto-encoder's generator and discriminator).

``optim_wrapper = dict(constructor='SubmoduleOptimWrapperConstructor',
generator=dict(modules=('encoder', 'decoder'), optimizer=dict(type='Adam',
lr=1e-4)), discriminator=dict(modules=('discriminator', ), optimizer=...))``
builds an ``OptimWrapperDict`` whose wrapper ``generator`` steps exactly the
parameters of ``model.encoder`` and ``model.decoder``.
"""
from mmengine.optim import OptimWrapperDict

from ..registry import OPTIM_WRAPPER_CONSTRUCTORS, OPTIM_WRAPPERS, OPTIMIZERS
from ..utils.errors import user_error


@OPTIM_WRAPPER_CONSTRUCTORS.register_module()
class SubmoduleOptimWrapperConstructor:
    """Build ``{name: OptimWrapper}`` over named submodules.

    Args:
        optim_wrapper_cfg (dict): ``name -> dict(modules=(...),
            optimizer=dict(...), type='OptimWrapper' (optional), ...)``.
        paramwise_cfg: not supported (refused when given).
    """

    def __init__(self, optim_wrapper_cfg: dict, paramwise_cfg=None):
        if paramwise_cfg:
            raise user_error(KeyError, (
                'SubmoduleOptimWrapperConstructor has no paramwise_cfg; '
                'split the modules into groups instead'))
        self.cfg = optim_wrapper_cfg

    def __call__(self, model) -> OptimWrapperDict:
        model = getattr(model, 'module', model)
        wrappers, owner = {}, {}
        for name, cfg in self.cfg.items():
            cfg = dict(cfg)
            modules = cfg.pop('modules', None)
            if not modules or 'optimizer' not in cfg:
                raise user_error(KeyError, (
                    f'optim_wrapper.{name} needs modules=(...) (submodule '
                    'names) and optimizer=dict(...)'))
            params = []
            for m in modules:
                if not hasattr(model, m):
                    raise user_error(KeyError, (
                        f'optim_wrapper.{name}.modules: the model '
                        f'{type(model).__name__} has no submodule {m!r}'))
                if m in owner:
                    raise user_error(ValueError, (
                        f'optim_wrapper: {m!r} is in both {owner[m]!r} and '
                        f'{name!r}'))
                owner[m] = name
                params += [p for p in getattr(model, m).parameters()
                           if p.requires_grad]
            optimizer = OPTIMIZERS.build(dict(cfg.pop('optimizer'),
                                              params=params))
            wrappers[name] = OPTIM_WRAPPERS.build(
                dict(dict(type='OptimWrapper'), **cfg, optimizer=optimizer))
        return OptimWrapperDict(**wrappers)
