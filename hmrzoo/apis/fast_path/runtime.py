"""An estimator's network run by ONNX Runtime (see
:mod:`hmrzoo.apis.fast_path`)."""
import os
import tempfile
from typing import Optional

import torch
from torch import Tensor, nn


class OnnxRuntimeForward:
    """``model.forward`` replaced by the exported network in ONNX Runtime
    followed by the estimator's own ``finish`` (body model, projection,
    losses or predictions in PyTorch)."""

    def __init__(self, model: nn.Module, path: Optional[str] = None):
        import onnxruntime
        from ..onnx_export import GEOMETRY, OUTPUTS, export_onnx
        keep = path is not None
        path = path or tempfile.NamedTemporaryFile(
            suffix='.onnx', delete=False).name
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = torch.get_num_threads()
        # no busy-waiting after a run: the body model and the rest of the
        # step run in PyTorch right after, on the same cores
        options.add_session_config_entry('session.intra_op.allow_spinning',
                                         '0')
        try:       # the exporter's checked session is the one kept
            info = export_onnx(model, path, session_options=options)
        finally:
            if not keep and os.path.exists(path):
                os.remove(path)     # the session holds the model
        self.session = info['session']
        self.model, self.path, self.outputs = model, path, OUTPUTS
        self.geometry_names = GEOMETRY if info['geometry'] else ()
        self.max_abs_diff = info['max_abs_diff']
        self.input_rank = len(self.session.get_inputs()[0].shape)

    def __call__(self, inputs: Tensor, data_samples=None,
                 mode: str = 'tensor'):
        model = self.model
        geo = model.geometry(data_samples, inputs.device)
        if inputs.dim() == self.input_rank + 1 and inputs.shape[1] == 1:
            inputs = inputs[:, 0]    # (B, 1, C, H, W) of a one-RoI model
        feed = {'inputs': inputs.detach().float().cpu().numpy()}
        if self.geometry_names:
            if geo is None:
                raise ValueError(f'{type(model).__name__} on ONNX Runtime '
                                 'needs the RoI metainfo of its samples')
            for name, value in zip(self.geometry_names, (
                    geo.center, geo.size, geo.img_wh, geo.focal)):
                feed[name] = value.float().cpu().numpy()
        got = self.session.run(None, feed)
        head_out = {k: torch.from_numpy(v).to(inputs.device)
                    for k, v in zip(self.outputs, got)}
        head_out['geometry'] = geo
        return model.finish(head_out, data_samples, mode)
