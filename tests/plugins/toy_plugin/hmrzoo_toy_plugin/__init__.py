"""A third-party hmrzoo plugin, written only against hmrzoo's public
contracts: a procedural body model with its own skinning skeleton and UV
layout (:class:`ToyBody`), a projection (:class:`LogScaleCropProjection`),
a regressor head (:class:`OneShotHead`) and a loss
(:class:`CharbonnierLoss`).  Importing the package registers them."""
from .body import ToyBody
from .head import OneShotHead
from .loss import CharbonnierLoss
from .projection import LogScaleCropProjection

__all__ = ['ToyBody', 'LogScaleCropProjection', 'OneShotHead',
           'CharbonnierLoss']
