"""Where other pages offer 列入问题清单, with what is already on the ledger from there.

- on the appeal page and the on-site task page: `{% load ledger_tags %}{% ledger_entry appeal %}`
  (or `task`): the ledger problems of that appeal (of the task's agenda item) the user may see,
  and the link to the prefilled new-problem form;
- on the hotspot page, per group: `{% ledger_hotspot_entry group appeals %}`.

The link shows only to people who may put problems on the ledger, never for a 检举 appeal;
the form re-checks everything the link carries (see `grassroots.ledger.prefill`).
"""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from grassroots.ledger import access

register = template.Library()


def _may_create(context) -> bool:
    """`access.can_create` once per page, however many hotspot groups ask."""
    memo = context.render_context
    if "ledger_can_create" not in memo:
        memo["ledger_can_create"] = access.can_create(context["request"].user)
    return memo["ledger_can_create"]


def _new_url(**query) -> str:
    return reverse("ledger:new") + "?" + urlencode(query)


@register.inclusion_tag("ledger/_entry.html", takes_context=True)
def ledger_entry(context, item):
    """`item` is an Appeal or an on-site Task."""
    user = context["request"].user
    problems = access.visible_problems(user)
    if item._meta.label_lower == "appeals.appeal":
        problems, report, url = problems.filter(appeal=item), item.is_report, _new_url(appeal=item.pk)
        empty = "本诉求尚未列入问题清单。"
    else:  # a problem keeps no link to a task: what is known is the problem its agenda item names
        agenda = item.decision.agenda_item
        problems = problems.filter(pk=agenda.ledger_problem_id) if agenda else problems.none()
        report, url, empty = False, _new_url(task=item.pk), ""
    problems = list(problems.select_related("responsible_unit").order_by("created_at", "pk"))
    may_create = _may_create(context)
    return {
        "show": bool(problems) or may_create,
        "problems": problems,
        "empty": empty,
        "report": report and may_create,
        "entry_url": url if may_create and not report else "",
    }


@register.inclusion_tag("ledger/_hotspot_entry.html", takes_context=True)
def ledger_hotspot_entry(context, group, appeals):
    """A hotspot group (textcore's Hotspot and its appeals, as the hotspot page has them)."""
    user = context["request"].user
    problems = list(
        access.visible_problems(user).filter(appeal__in=[a.pk for a in appeals]).order_by("created_at", "pk")
    )
    ids = [str(a.pk) for a in appeals if not a.is_report]
    may = _may_create(context) and ids
    return {
        "problems": problems,
        "entry_url": _new_url(hotspot=",".join(ids), title=group.title, place=group.place) if may else "",
    }
