"""The research report as it prints: A4, the 公文 type area, no blank first page, page numbers.

LibreOffice converts the downloaded file to PDF, as an office suite would for the printer; the
first page is looked at as a picture (its screenshot is kept in the test's folder)."""

import pytest
from django.urls import reverse

from tests import printed

pytestmark = pytest.mark.usefixtures("travel")  # Monday 2026-03-02

A4 = (595.3, 841.9)  # points


@pytest.fixture
def report_pdf(client, org, researched, tmp_path):
    client.force_login(org.head)
    response = client.get(reverse("research:report", args=[researched.pk]))
    assert response.status_code == 200
    return printed.to_pdf(response.content, ".docx", tmp_path)


def test_the_report_prints_on_a4_with_its_content_on_the_first_page(report_pdf):
    width, height = printed.page_size_pt(report_pdf)
    assert (round(width, 1), round(height, 1)) == A4
    first = "".join(printed.page_text(report_pdf, 1).split())  # pdftotext spaces out CJK glyphs
    assert "城关镇居家养老服务需求调研报告" in first
    assert "2026年3月2日" in first
    assert "一、调研内容与目的" in first and "二、调研走访" in first  # no nearly blank title page
    assert "—1—" in first


def test_the_first_page_keeps_the_type_area_of_an_official_document(report_pdf):
    top, bottom, ink = printed.inked_rows(printed.screenshot(report_pdf, 1))
    assert 33 <= top <= 45  # the title starts under the 37 mm top margin
    assert 262 <= bottom <= 285  # the page number sits under the 225 mm type area
    assert ink > 0.02  # a page of text, not a title alone


def test_the_report_names_the_official_fonts_and_prints_chinese_with_a_cjk_font(report_pdf):
    fonts = printed.fonts(report_pdf)
    assert "CJK" in fonts  # 仿宋_GB2312 and 黑体 are not on the server: Noto CJK stands in, no boxes


def test_even_pages_number_on_the_left_and_odd_on_the_right(report_pdf):
    assert printed.pages(report_pdf) >= 2
    odd, even = printed.page_text(report_pdf, 1), printed.page_text(report_pdf, 2)
    odd_line = next(line for line in odd.splitlines() if "—1—" in line.replace(" ", ""))
    even_line = next(line for line in even.splitlines() if "—2—" in line.replace(" ", ""))
    assert len(odd_line) - len(odd_line.lstrip()) > len(even_line) - len(even_line.lstrip())
