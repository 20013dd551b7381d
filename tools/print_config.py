"""Print a config as mmengine resolves it: every ``_base_`` merged, every
``{{_base_.x}}`` substituted, ``--cfg-options`` applied (checked as
``tools/train.py`` checks them).  Plugins are loaded first, so their
``custom_imports`` resolve.

    python tools/print_config.py configs/cra/r18_cra_anny.py
    python tools/print_config.py configs/cra/r18_cra_anny.py \
        --cfg-options model.fusion=features --format json
"""
import argparse
import json
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from mmengine.config import Config, DictAction  # noqa: E402

from hmrzoo.engine import load_plugins  # noqa: E402
from hmrzoo.engine.config_check import check_cfg_options  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', help='config file')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override settings, key=value (as train.py)')
    parser.add_argument('--format', choices=('py', 'json'), default='py',
                        help='Python (default) or JSON (sorted keys)')
    return parser.parse_args(argv)


def resolve(path: str, cfg_options=None) -> Config:
    """The resolved config of ``path`` with ``cfg_options`` applied."""
    if not osp.isfile(path):
        raise FileNotFoundError(f'config file not found: {path}')
    load_plugins()
    cfg = Config.fromfile(path)
    if cfg_options:
        check_cfg_options(cfg, list(cfg_options))
        cfg.merge_from_dict(cfg_options)
    return cfg


def main(argv=None) -> str:
    args = parse_args(argv)
    cfg = resolve(args.config, args.cfg_options)
    if args.format == 'json':
        text = json.dumps(cfg.to_dict(), indent=1, sort_keys=True,
                          default=repr)
    else:
        text = cfg.pretty_text
    print(text)
    return text


if __name__ == '__main__':
    try:
        main()
    except (FileNotFoundError, KeyError) as err:
        sys.exit(f'error: {err}')
