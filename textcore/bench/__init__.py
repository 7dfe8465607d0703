"""`python -m textcore bench classify|dedupe|hotspots|replies`: each prints one JSON object of
figures (its last line), with a baseline measured in the same run.

Each benchmark is a module here providing `add_arguments(parser)` and `run(args) -> dict`.
They read ../shared/data/taidi2020c/ by default (override with --data); tests never do.
"""

import importlib
import json
from pathlib import Path

BENCHMARKS = ["classify", "dedupe", "hotspots", "replies"]
DEFAULT_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "taidi2020c"


def register(subparsers) -> None:
    parser = subparsers.add_parser("bench", help="run a benchmark and print its figures as JSON")
    inner = parser.add_subparsers(dest="benchmark", required=True)
    for name in BENCHMARKS:
        try:
            module = importlib.import_module(f"textcore.bench.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"textcore.bench.{name}":
                continue
            raise
        sub = inner.add_parser(name)
        sub.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of the taidi2020c CSV files")
        module.add_arguments(sub)
        sub.set_defaults(run=lambda args, module=module: _print(module.run(args)))


def _print(figures: dict) -> int:
    print(json.dumps(figures, ensure_ascii=False))
    return 0
