"""The protocol of a :class:`~.protocol_metric.ProtocolMetric` in words:
the lines its reports print (joints, root, both joint sources, the mesh
comparison, then :class:`~.mesh_metric.MeshRecoveryMetric`'s units,
alignment and PCK lines).
"""
import os.path as osp
from typing import List

from .protocol_inputs import convention_text


def protocol_lines(metric, common: List[str]) -> List[str]:
    """The protocol lines of ``metric`` (a ``ProtocolMetric``), given the
    lines ``common`` of :meth:`MeshRecoveryMetric.protocol_lines`."""
    conv = f" (convention '{metric.joints_convention}')" \
        if metric.joints_convention else ''
    lines = [line for line in common if line.startswith('data:')]
    lines.append(f'joints: {len(metric.joint_names)}{conv}: '
                 + ', '.join(metric.joint_names))
    lines.append('root: none (no centring)' if metric.root_names is None
                 else f'root: mean of {metric.root_names}, subtracted '
                 'from pred and gt joints before the joint selection')
    reg = None if metric.regressor is None else (
        f'regressor {osp.basename(metric.regressor_file)} '
        f'({metric.regressor.shape[0]} rows, convention '
        f"'{metric.regressor_convention}')")
    approx = ' (approximate names allowed)' if metric.approximate else ''
    if metric.pred_joints == 'regressor':
        lines.append(f'pred joints: {reg} applied to pred_vertices')
    else:
        lines.append('pred joints: pred_keypoints3d in '
                     f'{convention_text(metric.pred_convention)}, by '
                     f'name{approx}')
    if metric.gt_joints == 'body_model':
        models = ', '.join(
            f"{g}: {c.get('type', '?')}" for g, c in
            sorted(metric.body_model_cfgs.items()))
        lines.append(
            "gt: body model of the sample's gender "
            f'({models}) posed with gt_global_orient, gt_body_pose, '
            f'gt_betas, no translation; joints by the same {reg}')
    else:
        lines.append('gt: gt_keypoints3d (+ gt_keypoints3d_mask) in '
                     f'{convention_text(metric.gt_convention)}, by '
                     f'name{approx}')
    if metric.needs_vertices:
        lines.append('PVE: pred_vertices vs ' + (
            'the body-model mesh' if metric.gt_joints == 'body_model'
            else 'gt_vertices') + (
            ', each centred on its own root' if
            metric.vertex_centring == 'root' else ', as given (no '
            'centring)'))
    lines += [line for line in common
              if line.startswith(('units:', 'alignment:', 'PCK:'))]
    return lines
