"""CSV in and out for the command line: UTF-8 (with or without BOM), a header row."""

import csv
import sys
from collections.abc import Iterable, Sequence

csv.field_size_limit(sys.maxsize)


def parse_columns(spec: str) -> list[str]:
    """ "subject,detail" -> ["subject", "detail"]."""
    cols = [c.strip() for c in spec.split(",") if c.strip()]
    if not cols:
        raise SystemExit("no text column given")
    return cols


def read_rows(path: str) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def require_columns(fieldnames: Sequence[str], wanted: Iterable[str], path: str) -> None:
    missing = [c for c in wanted if c not in fieldnames]
    if missing:
        raise SystemExit(f"{path}: no column {', '.join(missing)} (columns: {', '.join(fieldnames)})")


def join_text(row: dict[str, str], cols: Sequence[str]) -> str:
    """The text of a row: the given columns, non-empty ones joined by a newline."""
    return "\n".join(v for v in ((row.get(c) or "").strip() for c in cols) if v)


def write_rows(path: str, fieldnames: Sequence[str], rows: Iterable[dict]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(fieldnames), extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
