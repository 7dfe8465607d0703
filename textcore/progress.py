"""A progress bar on stderr for anything that takes more than a few seconds."""

import sys

from tqdm import tqdm


def progress(iterable=None, *, total=None, desc=""):
    return tqdm(iterable, total=total, desc=desc, file=sys.stderr, mininterval=1.0, leave=False)
