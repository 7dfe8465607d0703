"""Where other pages show their link to a grassroots activity.

- on the appeal page and the problem page: `{% load activities_tags %}{% activity_origin appeal %}`
  (or `problem`) says which activity the resident raised it at;
- on the reception day page: `{% load activities_tags %}{% reception_day_activity day %}` links the
  activity recorded from the day, or offers 记录为下基层活动 to who may record it.
"""

from django import template

from grassroots.activities import access
from grassroots.activities.models import Activity, ActivityConcern

register = template.Library()


@register.inclusion_tag("activities/_origin.html", takes_context=True)
def activity_origin(context, item):
    """`item` is an Appeal or a ledger Problem; nothing is shown when it did not come from an activity."""
    field = {"appeals.appeal": "appeal", "ledger.problem": "problem"}.get(item._meta.label_lower)
    concern = (
        ActivityConcern.objects.filter(**{field: item}).select_related("activity").first() if field else None
    )
    if concern is None:
        return {"activity": None}
    user = context["request"].user
    activity = concern.activity
    return {
        "activity": activity,
        "visible": access.visible_activities(user).filter(pk=activity.pk).exists(),
    }


@register.inclusion_tag("activities/_reception_day.html", takes_context=True)
def reception_day_activity(context, day):
    user = context["request"].user
    activity = Activity.objects.filter(reception_day=day).first()
    may_record = activity is None and day.published and access.can_record_reception_day(user, day)
    return {
        "day": day,
        "activity": activity,
        "visible": activity is not None and access.visible_activities(user).filter(pk=activity.pk).exists(),
        "may_record": may_record and access.reception_day_has_taken_place(day),
        "later": may_record and not access.reception_day_has_taken_place(day),
        "csrf_token": context.get("csrf_token"),
    }
