"""Server-drawn charts must show their Chinese labels, not boxes (tofu)."""

import io
import json
import logging
import os
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.image import imread

from grassroots.lib import charts

LABELS = ["非常满意", "满意", "一般", "不满意"]
COUNTS = [12, 30, 5, 1]


def _pixels(png: bytes):
    return imread(io.BytesIO(png), format="png")


def _glyph(text: str, family: str):
    """One string drawn alone in `family`, as an array of pixels."""
    fig = Figure(figsize=(1, 1), dpi=100)
    FigureCanvasAgg(fig)
    fig.text(0.1, 0.3, text, fontproperties=charts.chart_font(40, family))
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return _pixels(buf.getvalue())


@pytest.fixture
def no_missing_glyphs():
    """matplotlib warns "Glyph … missing from font(s) …" when it draws a box; make that a failure."""
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=r"Glyph \d+ .* missing from font")
        yield


def test_it_finds_a_cjk_font_on_this_machine():
    assert charts.cjk_family() == "Noto Sans CJK SC"


def test_it_draws_chinese_labels_without_missing_glyphs(no_missing_glyphs):
    png = charts.bar_chart("您对养老补贴政策的满意度", LABELS, COUNTS, total=48)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    height, width = _pixels(png).shape[:2]
    assert width == 6.4 * charts.DPI
    assert height > 300


def test_the_warning_trap_catches_a_font_without_chinese(no_missing_glyphs):
    with pytest.raises(UserWarning, match="missing from font"):
        charts.bar_chart("满意度", LABELS, COUNTS, family=charts.FALLBACK_FAMILY)


def test_it_draws_the_labels_differently_from_a_font_without_chinese():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the box-drawing rendering warns, as it should
        boxes = charts.bar_chart("满意度", LABELS, COUNTS, family=charts.FALLBACK_FAMILY)
    chinese = charts.bar_chart("满意度", LABELS, COUNTS)
    assert _pixels(boxes).shape == _pixels(chinese).shape
    assert not np.array_equal(_pixels(boxes), _pixels(chinese))


def test_it_draws_each_chinese_character_with_its_own_glyph(no_missing_glyphs):
    # Boxes look alike whatever the character; real glyphs of 调 and 研 do not.
    family = charts.cjk_family()
    first, second = _glyph("调", family), _glyph("研", family)
    blank = _glyph("", family)
    assert not np.array_equal(first, blank)
    assert not np.array_equal(first, second)


def test_it_draws_boxes_alike_in_a_font_without_chinese():
    # The check above can fail: in a font without CJK both characters come out the same box.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        first, second = _glyph("调", charts.FALLBACK_FAMILY), _glyph("研", charts.FALLBACK_FAMILY)
    assert np.array_equal(first, second)


def test_it_skips_fonts_without_chinese_and_placeholder_fonts():
    fonts = font_manager.fontManager.ttflist
    assert charts.find_cjk_family(fonts) == "Noto Sans CJK SC"
    without_cjk = [f for f in fonts if "CJK" not in f.name]
    assert any(f.name.startswith("Last Resort") for f in without_cjk)  # maps every character to a box
    assert charts.find_cjk_family(without_cjk) is None


def test_it_still_draws_and_warns_once_when_the_server_has_no_chinese_font(monkeypatch, caplog):
    without_cjk = [f for f in font_manager.fontManager.ttflist if "CJK" not in f.name]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", without_cjk)
    system_fonts = font_manager.findSystemFonts()
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda: [p for p in system_fonts if "CJK" not in p])
    charts.cjk_family.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="grassroots.lib.charts"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            first = charts.bar_chart("满意度", LABELS, COUNTS)
            second = charts.bar_chart("满意度", LABELS, COUNTS)
    finally:
        charts.cjk_family.cache_clear()
    assert first.startswith(b"\x89PNG") and second.startswith(b"\x89PNG")
    warnings_logged = [r for r in caplog.records if "fonts-noto-cjk" in r.getMessage()]
    assert len(warnings_logged) == 1


STALE_CACHE = """
from pathlib import Path
import matplotlib
from matplotlib import font_manager
manager = font_manager.fontManager
manager.ttflist = [f for f in manager.ttflist if "CJK" not in f.name]
cache = Path(matplotlib.get_cachedir(), f"fontlist-v{font_manager.FontManager.__version__}.json")
font_manager.json_dump(manager, cache)
"""


def test_it_finds_a_cjk_font_installed_after_matplotlib_cached_its_font_list(tmp_path):
    # A new machine: matplotlib listed its fonts (here: every font but the CJK ones) before
    # fonts-noto-cjk was installed, and reads that stale list in every later process.
    env = {**os.environ, "MPLCONFIGDIR": str(tmp_path)}
    subprocess.run([sys.executable, "-c", STALE_CACHE], env=env, check=True)  # noqa: S603 (our own script)
    (cache,) = tmp_path.glob("fontlist-v*.json")
    assert "CJK" not in cache.read_text()

    found = subprocess.run(
        [sys.executable, "-c", "from grassroots.lib import charts; print(charts.cjk_family())"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert found.stdout.strip() == "Noto Sans CJK SC"
    names = {entry["name"] for entry in json.loads(cache.read_text())["ttflist"]}
    assert "Noto Sans CJK SC" in names  # the next process finds it without scanning again
