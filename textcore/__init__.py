"""The text core: dispatch suggestions, duplicates, hotspots, reply quality and sentiment.

Pure Python (numpy, scipy, scikit-learn, numba); never imports Django. The product calls it
through small functions and model files; the command line (`python -m textcore`) and the
benchmarks use the same code.
"""

__version__ = "0.1.0"
