"""The one place that draws charts on the server (for Word reports and Excel files).

Charts are drawn with matplotlib's Agg renderer straight onto a Figure, without pyplot: no GUI,
no global figure state, safe in a web worker. Chinese labels need a font with CJK glyphs;
matplotlib's own fonts have none and would draw every character as a box. The font is found
once through matplotlib's font manager (Debian's fonts-noto-cjk, installed by `make fonts`,
gives "Noto Sans CJK SC"). matplotlib lists the system's fonts once, into a cache file, and never
looks again: a font installed after that cache was written is unknown to it. So when the cached
list has no CJK font, the system's font folders are scanned once more and the cache rewritten.
Without any CJK font the chart is still drawn, so a report still downloads, and a warning is
logged once saying what to install.
"""

import functools
import io
import logging
import textwrap
from pathlib import Path

import matplotlib
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ft2font import FT2Font

log = logging.getLogger(__name__)

# Preferred families, best first; any other installed font that has the probe glyphs also does.
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Noto Serif CJK SC",
    "Noto Sans CJK TC",
    "Noto Sans CJK JP",
)
PROBE = "调研问卷满意度"  # characters every chart label font must have
FALLBACK_FAMILY = "DejaVu Sans"  # matplotlib's bundled font: Latin, digits, no CJK
DPI = 150  # sharp in print at the 15 cm a Word page gives a chart, yet a small file
BAR_COLOUR = "#2563eb"
LABEL_WRAP = 14  # characters per line of a category label


def _covers(path: str, text: str) -> bool:
    """True when the font draws each character of `text` with a glyph of its own. A font that
    maps a whole block to one placeholder (matplotlib's bundled "Last Resort") does not count."""
    try:
        charmap = FT2Font(path).get_charmap()
    except (OSError, RuntimeError, ValueError):
        return False
    glyphs = {charmap.get(ord(c)) for c in text}
    return None not in glyphs and len(glyphs) == len(set(text))


def find_cjk_family(fonts) -> str | None:
    """The family name of the best font among `fonts` (font_manager FontEntry items) that can
    draw Chinese, or None."""
    by_name = {}
    for entry in fonts:
        by_name.setdefault(entry.name, entry.fname)
    for family in CJK_FAMILIES:
        if family in by_name and _covers(by_name[family], PROBE):
            return family
    for family, path in sorted(by_name.items()):
        if family not in CJK_FAMILIES and _covers(path, PROBE):
            return family
    return None


def add_fonts_installed_since_the_cache(manager=None) -> int:
    """Add to matplotlib's font list the system fonts its cache does not know, and write the
    cache anew so other processes see them too. Returns how many font files were added."""
    manager = manager or font_manager.fontManager
    known = {entry.fname for entry in manager.ttflist}
    added = 0
    for path in font_manager.findSystemFonts():
        if path in known:
            continue
        try:
            manager.addfont(path)
        except (OSError, RuntimeError, ValueError):
            continue  # a broken or unreadable font file is skipped, as matplotlib itself does
        added += 1
    if added:
        cache = Path(matplotlib.get_cachedir(), f"fontlist-v{font_manager.FontManager.__version__}.json")
        font_manager.json_dump(manager, cache)  # logs, rather than raises, when it cannot write
    return added


@functools.cache
def cjk_family() -> str | None:
    """The installed CJK family, looked up once per process; logs once when there is none."""
    family = find_cjk_family(font_manager.fontManager.ttflist)
    if family is None and add_fonts_installed_since_the_cache():
        family = find_cjk_family(font_manager.fontManager.ttflist)
    if family is None:
        log.warning(
            "服务器没有中文字体，图表中的中文将显示为方框；请安装 fonts-noto-cjk（make fonts）。 "
            "No CJK font found: Chinese chart labels will render as boxes; install fonts-noto-cjk."
        )
    return family


def chart_font(size: float = 10, family: str | None = None) -> FontProperties:
    """Font for chart text: the CJK family first, matplotlib's own font for anything it lacks."""
    first = family or cjk_family()
    families = [first, FALLBACK_FAMILY] if first and first != FALLBACK_FAMILY else [FALLBACK_FAMILY]
    return FontProperties(family=families, size=size)


def bar_chart(
    title: str, labels, counts, *, total: int | None = None, unit: str = "人", family: str | None = None
) -> bytes:
    """A horizontal bar chart as PNG bytes: one bar per label, its count (and its share of
    `total`, when given) written beside it.

    Horizontal, because the labels are answer options in Chinese and may be long. `family`
    overrides the font (tests compare renderings); by default the CJK font found on the server.
    """
    labels, counts = [str(label) for label in labels], [int(c) for c in counts]
    text = chart_font(10, family)
    height = 1.2 + 0.45 * max(len(labels), 1) + 0.15 * sum(label.count("\n") for label in labels)
    fig = Figure(figsize=(6.4, height), dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    rows = list(range(len(labels)))
    ax.barh(rows, counts, color=BAR_COLOUR, height=0.6)
    ax.set_yticks(rows, labels=[textwrap.fill(label, LABEL_WRAP) for label in labels], fontproperties=text)
    ax.invert_yaxis()  # the first option on top, as in the questionnaire
    top = max(counts, default=0)
    ax.set_xlim(0, max(top * 1.3, 1))  # room for the figures beside the bars
    ax.xaxis.get_major_locator().set_params(integer=True)
    for row, n in zip(rows, counts, strict=True):
        share = f"（{100 * n / total:.1f}%）" if total else ""
        ax.text(n + top * 0.02, row, f"{n} {unit}{share}", va="center", fontproperties=text)
    fig.suptitle(textwrap.fill(title, 36), x=0.02, ha="left", fontproperties=chart_font(11, family))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()
