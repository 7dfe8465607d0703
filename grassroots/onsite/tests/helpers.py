"""Builders for the on-site office tests: a session of 县长李 and a decision dispatching tasks."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from grassroots.onsite import actions

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def png(name="整改照片.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def make_session(org, *, owner=None, day=date(2026, 3, 2), title="城东村排水问题现场办公", **kw):
    """A session of 县长李 for 东城县, at 城东村, on the frozen Monday."""
    fields = {
        "actor": owner or org.leader,
        "owner": owner or org.leader,
        "title": title,
        "unit": org.east,
        "place": org.chengdong,
        "address": "城东村村委会会议室",
        "date": day,
        "duration_minutes": 120,
        "attendees": [("东城县住建局", "王建国"), ("城东村", "李村长")],
        "agenda": ["城东村三组排水沟堵塞，雨天积水入户"],
    }
    fields.update(kw)
    return actions.create_session(**fields)


def decide(session, units, *, text="两周内清淤排水沟并加装盖板", deadline=date(2026, 3, 20), **kw):
    return actions.record_decision(session, session.owner, text=text, units=units, deadline=deadline, **kw)


def make_task(org, unit=None, **kw):
    """One task for 城关镇 (or `unit`) from a session of 县长李 held today."""
    return decide(make_session(org), [unit or org.chengguan], **kw).tasks.get()
