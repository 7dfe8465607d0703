"""Documents as they print: LibreOffice turns a Word or Excel file into PDF, as a clerk's office
suite would for the printer, and poppler reads its pages back as text and as pictures.

Debian's libreoffice-writer-nogui, libreoffice-calc-nogui and poppler-utils are installed by
`make test` (Makefile: test-deps).
"""

import subprocess
from pathlib import Path

from PIL import Image

SOFFICE = "/usr/bin/soffice"


def to_pdf(data: bytes, suffix: str, folder: Path) -> Path:
    source = folder / f"document{suffix}"
    source.write_bytes(data)
    profile = (folder / "lo-profile").as_uri()  # a profile of its own: no clash with another run
    subprocess.run(  # noqa: S603 (fixed arguments, our own file)
        [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir"]
        + [str(folder), str(source)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return source.with_suffix(".pdf")


def _run(*args) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True, timeout=60).stdout  # noqa: S603


def info(pdf: Path) -> dict:
    fields = {}
    for line in _run("pdfinfo", str(pdf)).splitlines():
        key, _, value = line.partition(":")
        fields[key.strip()] = value.strip()
    return fields


def pages(pdf: Path) -> int:
    return int(info(pdf)["Pages"])


def page_size_pt(pdf: Path) -> tuple[float, float]:
    """Width and height of the first page in points ("595.276 x 841.89 pts (A4)")."""
    width, _x, height = info(pdf)["Page size"].split()[:3]
    return float(width), float(height)


def page_text(pdf: Path, page: int) -> str:
    return _run("pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-")


def fonts(pdf: Path) -> str:
    return _run("pdffonts", str(pdf))


def screenshot(pdf: Path, page: int, dpi: int = 50) -> Path:
    """The page as a PNG beside the PDF (page-N.png), as it would look printed."""
    stem = pdf.parent / f"page-{page}"
    _run(
        "pdftoppm",
        "-png",
        "-r",
        str(dpi),
        "-f",
        str(page),
        "-l",
        str(page),
        "-singlefile",
        str(pdf),
        str(stem),
    )
    return stem.with_suffix(".png")


def inked_rows(png: Path, dpi: int = 50) -> tuple[float, float, float]:
    """(first inked row from the top in mm, last in mm, share of inked pixels) of a screenshot."""
    image = Image.open(png).convert("L")
    width, height = image.size
    pixels = image.load()
    rows = [y for y in range(height) if any(pixels[x, y] < 200 for x in range(0, width, 2))]
    inked = sum(1 for y in range(height) for x in range(0, width, 2) if pixels[x, y] < 200)
    to_mm = 25.4 / dpi
    return rows[0] * to_mm, rows[-1] * to_mm, inked / (height * width / 2)
