from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from grassroots.activities import actions
from grassroots.activities.models import Kind

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n" + b"0" * 64


def png(name="宣讲现场.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def pdf(name="宣讲材料.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def make_activity(org, *, unit=None, actor=None, officials=None, title="城东村医保政策宣讲", **kw):
    """An outreach activity of 城关镇 recorded by its head, unless told otherwise."""
    fields = {
        "kind": Kind.OUTREACH,
        "title": title,
        "unit": unit or org.chengguan,
        "officials": officials or [org.head],
        "place": org.chengdong,
        "address": "城东村文化礼堂",
        "date": date(2026, 2, 26),
        "duration_minutes": 90,
        "summary": "向村民讲解城乡居民医保缴费和报销政策。",
        "outreach_topic": "城乡居民医保政策",
        "policies": "2026 年度城乡居民医保缴费标准",
        "speaker": "镇长汉克",
        "audience_count": 60,
    }
    fields.update(kw)
    return actions.create(actor=actor or org.head, **fields)


def form_data(org, **kw):
    """What the 新建活动 form posts for an outreach activity of 城关镇."""
    data = {
        "kind": "outreach",
        "title": "城东村医保政策宣讲",
        "unit": org.chengguan.pk,
        "officials": [org.head.pk],
        "other_participants": "镇医保所工作人员 2 人",
        "place": org.chengdong.pk,
        "address": "城东村文化礼堂",
        "latitude": "26.661700",
        "longitude": "119.547500",
        "date": "2026-02-26",
        "duration_minutes": "90",
        "summary": "向村民讲解城乡居民医保缴费和报销政策。",
        "outcome": "现场帮助 12 位老人办理缴费。",
        "outreach_topic": "城乡居民医保政策",
        "policies": "2026 年度城乡居民医保缴费标准",
        "speaker": "镇长汉克",
        "audience_count": "60",
        "submission_token": "t" * 32,
    }
    data.update(kw)
    return data
