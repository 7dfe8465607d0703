"""Suggestions shown to staff: category and unit, similar appeals, hotspots, reply hints.

Suggestions never change an appeal: each "采用" button posts to the ordinary action
(确定分类, 交办, 认定重复件), which checks permissions and writes the timeline as usual.
"""

import hashlib

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Count, Exists, F, OuterRef, Q
from django.shortcuts import render
from django.views.decorators.http import require_POST

from grassroots.accounts.access import memberships
from grassroots.appeals import access
from grassroots.appeals.models import CONTENT_MAX_CHARS, Event, EventKind

from . import engine
from .models import Suggestion


def _record(appeal, kind, suggested):
    if suggested is not None:
        Suggestion.objects.get_or_create(
            appeal=appeal,
            kind=kind,
            defaults={
                "value_id": suggested.value.pk,
                "confidence": suggested.confidence,
                "words": suggested.words,
                "model_version": suggested.model_version,
            },
        )


@login_required
def appeal_assist(request, pk):
    """The suggestions panel of an appeal page (loaded by htmx after the page)."""
    appeal = access.access_appeal_by_id(request.user, pk)
    text = engine.appeal_text(appeal.title, appeal.content)
    category = engine.suggest_category(text)
    unit = engine.suggest_unit(text, access.jurisdiction_units(appeal))
    _record(appeal, Suggestion.Kind.CATEGORY, category)
    _record(appeal, Suggestion.Kind.UNIT, unit)
    visible = access.visible_appeals(request.user).filter(registered_at__lte=appeal.registered_at)
    similar = engine.similar_appeals(visible, text, exclude_pk=appeal.pk)
    allowed = access.allowed_actions(request.user, appeal)
    moods = [(r, engine.comment_sentiment(r.comment)) for r in appeal.ratings.order_by("at") if r.comment]
    return render(
        request,
        "textintel/_appeal_assist.html",
        {
            "appeal": appeal,
            "category": category,
            "unit": unit,
            "similar": similar,
            "moods": moods,
            "can_categorize": "categorize" in allowed and category and category.value != appeal.category,
            "can_dispatch": "dispatch" in allowed and appeal.status in ("registered", "objected"),
            "can_mark_duplicate": "mark_duplicate" in allowed and appeal.status in ("registered", "objected"),
        },
    )


@login_required
@require_POST
def intake_assist(request):
    """Suggestions while a clerk types a new appeal (htmx, on change of title or content)."""
    title = request.POST.get("title", "")[:100]
    content = request.POST.get("content", "")[:CONTENT_MAX_CHARS]
    text = engine.appeal_text(title, content)
    return render(
        request,
        "textintel/_intake_assist.html",
        {
            "category": engine.suggest_category(text) if content.strip() else None,
            "similar": engine.similar_appeals(access.visible_appeals(request.user), text)
            if content.strip()
            else [],
        },
    )


@login_required
@require_POST
def reply_hints(request, pk):
    """Quality hints for a draft reply, before it is sent."""
    appeal = access.access_appeal_by_id(request.user, pk)
    draft = request.POST.get("text", "")[:CONTENT_MAX_CHARS]
    score = engine.reply_hints(appeal, draft) if draft.strip() else None
    return render(request, "textintel/_reply_hints.html", {"score": score})


HOTSPOT_CACHE_SECONDS = 600


@login_required
def hotspots(request):
    days = 90 if request.GET.get("days") not in {"30", "180", "365"} else int(request.GET["days"])
    # Grouping takes seconds; people with the same scope share one result for ten minutes.
    scope = ",".join(sorted(m.unit.path + m.role for m in memberships(request.user)))
    key = "hotspots:" + hashlib.sha256(f"{scope}|{days}".encode()).hexdigest()
    groups = cache.get(key)
    if groups is None:
        groups = engine.hotspots(access.visible_appeals(request.user), days=days)
        cache.set(key, groups, HOTSPOT_CACHE_SECONDS)
    return render(request, "textintel/hotspots.html", {"groups": groups, "days": days})


@login_required
def quality(request):
    """How often staff took the suggestions, on the appeals this user can see.

    Only a suggestion shown before the decision counts: one computed afterwards (by a model that
    has since learnt that very decision, as on the generated demo data) would agree with it by
    construction, and the page would show a figure nobody should believe."""
    visible = access.visible_appeals(request.user)
    suggestions = Suggestion.objects.filter(appeal__in=visible)
    categorized_later = Event.objects.filter(
        appeal=OuterRef("appeal"), kind=EventKind.CATEGORIZE, at__gt=OuterRef("created_at")
    )
    before_the_decision = {
        Suggestion.Kind.CATEGORY: Q(Exists(categorized_later)),
        Suggestion.Kind.UNIT: Q(appeal__dispatched_at__gt=F("created_at")),
    }
    rows = []
    for kind, label, field in (
        (Suggestion.Kind.CATEGORY, "分类建议", "appeal__category_id"),
        (Suggestion.Kind.UNIT, "承办单位建议", "appeal__handling_unit_id"),
    ):
        decided = suggestions.filter(kind=kind).exclude(**{field: None}).filter(before_the_decision[kind])
        figures = decided.aggregate(
            total=Count("pk"),
            taken=Count("pk", filter=Q(value_id=F(field))),
            confident=Count("pk", filter=Q(confidence__gte=0.9)),
            confident_taken=Count("pk", filter=Q(confidence__gte=0.9, value_id=F(field))),
        )
        rows.append((label, figures))
    return render(request, "textintel/quality.html", {"rows": rows})
