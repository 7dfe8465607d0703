"""Model files: versioned, written atomically, and loaded as None when missing or incompatible.

A file is a pickle of {"format": FORMAT, "kind": ..., "version": ..., "payload": ...}.
Model files are produced by this project on the same machine (never downloaded), which is
what makes pickle acceptable here.
"""

import os
import pickle  # noqa: S403 - our own artifacts only, see module docstring
import tempfile
from pathlib import Path

FORMAT = "grassroots-textcore"


def save(path, kind: str, version: int, payload) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            pickle.dump(
                {"format": FORMAT, "kind": kind, "version": version, "payload": payload},
                f,
                protocol=pickle.HIGHEST_PROTOCOL,
            )
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load(path, kind: str, version: int):
    """The payload, or None when the file is missing, unreadable, or of another kind/version."""
    try:
        with open(path, "rb") as f:
            blob = pickle.load(f)  # noqa: S301 - our own artifacts only
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError):
        return None
    if not isinstance(blob, dict) or blob.get("format") != FORMAT:
        return None
    if blob.get("kind") != kind or blob.get("version") != version:
        return None
    return blob.get("payload")
