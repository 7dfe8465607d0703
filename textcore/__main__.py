"""`python -m textcore <command>`: each command lives in its own module, which provides
`register(subparsers)` adding its parser with `set_defaults(run=...)`."""

import argparse
import importlib
import sys

COMMAND_MODULES = [
    "textcore.classify",
    "textcore.dedupe",
    "textcore.hotspots",
    "textcore.replies",
    "textcore.sentiment",
    "textcore.bench",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m textcore", description="四下基层 text core")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # a command not built yet
                continue
            raise
        module.register(subparsers)
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args) or 0


if __name__ == "__main__":
    sys.exit(main())
