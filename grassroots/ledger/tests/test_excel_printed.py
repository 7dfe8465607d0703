"""The exported ledger as it prints: A4 landscape, every column on the page, the title on the
first page and the header row on every page (LibreOffice prints it, as an office suite would)."""

from datetime import date

import pytest
from django.urls import reverse

from grassroots.ledger.excel import COLUMNS
from grassroots.ledger.tests.helpers import make_problem
from tests import printed

pytestmark = pytest.mark.usefixtures("travel")  # Monday 2026-03-02


@pytest.fixture
def ledger_pdf(client, org, tmp_path):
    for n in range(43):
        make_problem(
            org,
            description=f"城东村第{n + 1}组排水沟堵塞，雨天积水漫进农户院子，群众多次反映",
            deadline=date(2026, 3 + n % 9, 28),
        )
    client.force_login(org.head)
    return printed.to_pdf(client.get(reverse("ledger:export")).content, ".xlsx", tmp_path)


def _squeezed(text: str) -> str:
    return "".join(text.split())  # pdftotext spaces out CJK glyphs


def test_the_ledger_prints_landscape_with_every_column_on_the_page(ledger_pdf):
    width, height = printed.page_size_pt(ledger_pdf)
    assert (round(width), round(height)) == (842, 595)  # A4 landscape
    first = _squeezed(printed.page_text(ledger_pdf, 1))
    assert "城关镇问题清单（整改台账）" in first and "导出日期：2026年3月2日" in first
    for header, _width in COLUMNS:
        assert _squeezed(header) in first, header
    assert printed.pages(ledger_pdf) <= 4  # 43 problems: it printed on 9 pages before


def test_every_printed_page_repeats_the_header_row_and_numbers_itself(ledger_pdf):
    total = printed.pages(ledger_pdf)
    assert total >= 2
    for page in range(2, total + 1):
        text = _squeezed(printed.page_text(ledger_pdf, page))
        assert "问题编号" in text and "整改措施" in text and "销号时间" in text
        assert f"第{page}页共{total}页" in text


def test_the_printed_ledger_has_its_cells_ruled(ledger_pdf):
    png = printed.screenshot(ledger_pdf, 1, dpi=50)
    _top, _bottom, ink = printed.inked_rows(png)
    assert ink > 0.05  # text and the borders of every cell
