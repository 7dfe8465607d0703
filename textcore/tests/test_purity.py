import subprocess
import sys

from textcore.__main__ import COMMAND_MODULES


def test_the_text_core_never_imports_django():
    code = (
        "import importlib, sys\n"
        f"for name in {COMMAND_MODULES!r}:\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except ModuleNotFoundError as e:\n"
        "        if e.name != name: raise\n"
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)  # noqa: S603
    assert out.stdout.strip() == "[]"
