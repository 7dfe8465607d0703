"""Staff pages for appeals: the queues, intake, the appeal page and its actions, 督办 notices.

Every appeal is read through `access` and changed through `actions`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from grassroots.accounts.access import has_role_over, scope_q
from grassroots.accounts.models import Role
from grassroots.lib.actions import ActionError
from grassroots.lib.downloads import serve_upload
from grassroots.lib.panel import ActionPanel
from grassroots.workcal.models import DeadlineRule

from . import access, actions, forms
from .access import CASEWORK, DESK, HANDLING, visible_appeals
from .models import Overdue, Status, Supervision

PAGE_SIZE = 50

QUEUES = [
    ("mine", gettext_lazy("我的待办")),
    ("due", gettext_lazy("三日内到期")),
    ("overdue", gettext_lazy("已超期")),
    ("approval", gettext_lazy("待审批")),
    ("objections", gettext_lazy("交办异议")),
    ("closing", gettext_lazy("待办结")),
    ("all", gettext_lazy("全部")),
]
# what each queue holds, and who is expected to do what with it (shown above the list)
QUEUE_HELP = {
    "mine": gettext_lazy(
        "等待您这一步的诉求：登记单位交办、认定重复件或办结（群众评价满意、基本满意的）；"
        "承办单位受理告知和答复；单位负责人审批延期；复查（复核）机关的信访部门分办复查（复核），"
        "分办到的承办人作出复查（复核）意见。"
    ),
    "due": gettext_lazy(
        "三日内期限届满的诉求：承办单位须在届满前答复，确需延期的须在届满前申请（第三十四条）。"
    ),
    "overdue": gettext_lazy("期限已届满仍未办理的诉求：承办单位尽快办理，信访督办员督办。"),
    "approval": gettext_lazy("承办人申请延期、等待单位负责人审批的诉求（一次，不超过 30 日）。"),
    "objections": gettext_lazy("承办单位认为交办有误、提出异议的诉求：登记单位重新交办或维持交办。"),
    "closing": gettext_lazy(
        "已答复、已复查的诉求：群众评价满意或基本满意的，由登记单位办结；"
        "不满意的，群众可在收到答复之日起 30 日内申请复查（复核）。"
    ),
    "all": gettext_lazy("您有权查看的全部诉求，可按标题、查询码和状态查找。"),
}

# action name -> (form, the action it runs); also the order of the actions panel
ACTIONS = {
    "dispatch": (forms.DispatchForm, actions.dispatch),
    "not_accept": (forms.NotAcceptForm, actions.not_accept),
    "categorize": (forms.CategorizeForm, actions.categorize),
    "mark_duplicate": (forms.MarkDuplicateForm, actions.mark_duplicate),
    "resolve_objection": (forms.ResolveObjectionForm, actions.resolve_objection),
    "inform": (forms.InformForm, actions.inform),
    "object": (forms.ObjectForm, actions.object_to_dispatch),
    "handle": (forms.HandleForm, actions.handle),
    "reply": (forms.ReplyForm, actions.reply),
    "request_extension": (forms.RequestExtensionForm, actions.request_extension),
    "decide_extension": (forms.DecideExtensionForm, actions.decide_extension),
    "record_pause": (forms.RecordPauseForm, actions.record_pause),
    "decide_pause": (forms.DecidePauseForm, actions.decide_pause),
    "record_delivery": (forms.RecordDeliveryForm, actions.record_delivery),
    "request_review": (forms.RequestReviewForm, actions.request_review),
    "assign_review": (forms.AssignReviewForm, actions.assign_review),
    "decide_review": (forms.DecideReviewForm, actions.decide_review),
    "close": (forms.CloseForm, actions.close),
    "supervise": (forms.SuperviseForm, actions.supervise),
}
PANEL = ActionPanel(ACTIONS, access=access, act_url="appeals:act", page_url="appeals:detail")


# --- queues --------------------------------------------------------------------------


def _approval_q(user) -> Q:
    return Q(status=Status.HANDLING, extension_pending_days__gt=0) & scope_q(
        user, "handling_unit", {Role.UNIT_HEAD}
    )


def _objections_q(user) -> Q:
    return Q(status=Status.OBJECTED) & scope_q(user, "registered_unit", DESK)


ANSWERED = [Status.REPLIED, Status.REVIEWED]


def _closing_q(user) -> Q:
    return Q(status__in=ANSWERED) & scope_q(user, "registered_unit", DESK)


def _rated_content_q() -> Q:
    """The petitioner rated the latest written answer 满意 or 基本满意."""
    return Q(rated=True, unsatisfied=False)


def _review_q(user) -> Q:
    """复查/复核 for the reviewing organ's desk to assign, or assigned to the user to decide."""
    unassigned = Q(review_handler__isnull=True, review_unit_id__in=access.desk_areas(user))
    return unassigned | Q(review_handler=user)


def _mine_q(user) -> Q:
    """Appeals waiting for a step that one of the user's roles takes."""
    return (
        (Q(status__in=[Status.REGISTERED, Status.OBJECTED]) & scope_q(user, "registered_unit", DESK))
        | (_closing_q(user) & _rated_content_q())
        | (Q(status__in=[Status.DISPATCHED, Status.HANDLING]) & scope_q(user, "handling_unit", HANDLING))
        | (Q(status__in=[Status.REVIEWING, Status.RECHECKING]) & _review_q(user))
        | _approval_q(user)
    )


def queue(user, name):
    appeals = visible_appeals(user)
    by_deadline = (F("due_date").asc(nulls_last=True), "registered_at")
    if name == "mine":
        return appeals.filter(_mine_q(user)).order_by(*by_deadline)
    if name == "due":
        return appeals.due_within(3).order_by(*by_deadline)
    if name == "overdue":
        return appeals.overdue().order_by(*by_deadline)
    if name == "approval":
        return appeals.filter(_approval_q(user)).order_by(*by_deadline)
    if name == "objections":
        return appeals.filter(_objections_q(user)).order_by(*by_deadline)
    if name == "closing":
        return appeals.filter(_closing_q(user)).order_by("replied_at", "registered_at")
    return appeals.order_by("-registered_at")


@login_required
def inbox(request):
    user = request.user
    name = request.GET.get("q", "mine")
    if name not in dict(QUEUES):
        name = "mine"
    ever_overdue = name == "overdue" and request.GET.get("ever") == "1"
    appeals = queue(user, name)
    if ever_overdue:  # the overdue fact stays on record after an extension, a late reply, a closing
        on_record = Overdue.objects.values("appeal_id")
        appeals = visible_appeals(user).filter(pk__in=on_record).order_by("-registered_at")
    search = request.GET.get("search", "").strip()[:100]
    status = request.GET.get("status", "")
    if name == "all":
        if search:
            appeals = appeals.filter(Q(title__icontains=search) | Q(tracking_code__iexact=search))
        if status in Status.values:
            appeals = appeals.filter(status=status)
    appeals = appeals.select_related("category__parent__parent", "handling_unit")
    page = Paginator(appeals, PAGE_SIZE).get_page(request.GET.get("page"))
    _note_overdue_days(page)
    tabs = [(key, label, queue(user, key).count()) for key, label in QUEUES]
    reassess = actions.doubtful_requests_for(user)
    return render(
        request,
        "appeals/inbox.html",
        {
            "tabs": tabs,
            "queue": name,
            "queue_label": dict(QUEUES)[name],
            "queue_help": QUEUE_HELP[name],
            "page_obj": page,
            "search": search,
            "status": status,
            "statuses": Status.choices,
            "reassess": reassess,
            "ever_overdue": ever_overdue,
        },
    )


def _note_overdue_days(page):
    """Each appeal on the page with `overdue_days`: the days its limits were overrun, on record."""
    today = timezone.localdate()
    days: dict[int, int] = {}
    for period in Overdue.objects.filter(appeal_id__in=[a.pk for a in page]):
        days[period.appeal_id] = days.get(period.appeal_id, 0) + period.days(today)
    for appeal in page:
        appeal.overdue_days = days.get(appeal.pk, 0)


# --- intake ----------------------------------------------------------------------------


@login_required
def new(request):
    if not access.desk_units(request.user):
        raise PermissionDenied(_("只有接待登记员或信访督办员可以登记诉求。"))
    if request.method == "POST":
        token = request.POST.get("submission_token", "")
        existing = visible_appeals(request.user).filter(submission_token=token).first() if token else None
        if existing:  # a second click, a reload or a resent form: the first submit already registered it
            messages.info(
                request, _("该诉求已登记（查询码 %(code)s），未重复登记。") % {"code": existing.tracking_code}
            )
            return redirect("appeals:detail", pk=existing.pk)
        form = forms.IntakeForm(request.POST, request.FILES, user=request.user)
        final_matter = ""
        if form.is_valid():
            try:
                appeal = actions.register(actor=request.user, **form.register_kwargs())
            except actions.FinalMatter as e:
                final_matter = str(e)
                messages.error(request, _("未登记：该事项已复核终结（第三十六条）。"))
            except ActionError as e:
                messages.error(request, str(e))
            else:
                messages.success(request, _("诉求已登记，查询码 %(code)s。") % {"code": appeal.tracking_code})
                return redirect("appeals:detail", pk=appeal.pk)
        else:
            messages.error(request, _("登记未完成：请按下方提示修改后再提交。"))
        return render(request, "appeals/new.html", {"form": form, "final_matter": final_matter}, status=400)
    return render(request, "appeals/new.html", {"form": forms.IntakeForm(user=request.user)})


# --- the appeal page -------------------------------------------------------------------------


def _render_detail(request, appeal, *, bound=None, identity=None, status=200):
    user = request.user
    clock = appeal.clock
    original_visible = (
        appeal.original_id is not None and visible_appeals(user).filter(pk=appeal.original_id).exists()
    )
    return render(
        request,
        "appeals/detail.html",
        {
            "appeal": appeal,
            "panel": PANEL.forms(user, appeal, bound),
            "clock": clock,
            "rule_name": DeadlineRule.objects.filter(key=clock.rule).values_list("name", flat=True).first()
            if clock
            else "",
            "overdue": appeal.overdue_periods.select_related("clock"),
            "deliveries": appeal.deliveries.all(),
            "doubtful": appeal.doubtful_requests.filter(resolution=""),
            "can_reassess": access.can(user, "reassess_request", appeal),
            "redirect": appeal.redirect_text(),
            "identity": identity,
            "representatives": appeal.representatives.all(),
            "events": appeal.events.select_related("actor", "unit"),
            "attachments": appeal.attachments.order_by("id"),
            "ratings": appeal.ratings.order_by("at"),
            "supervisions": appeal.supervisions.select_related("sent_by", "unit").order_by("sent_at"),
            "pauses": appeal.pauses.select_related("ground"),
            "repeats": visible_appeals(user).filter(original=appeal).order_by("registered_at"),
            "original_visible": original_visible,
            "reveals": (
                appeal.reveals.select_related("user").order_by("-at")
                if access.can_audit_identity_views(user, appeal)
                else None
            ),
        },
        status=status,
    )


@never_cache
@login_required
def detail(request, pk):
    return _render_detail(request, access.access_appeal_by_id(request.user, pk))


@never_cache
@login_required
@require_POST
def reveal(request, pk):
    appeal = access.access_appeal_by_id(request.user, pk)
    identity = actions.reveal_identity(appeal, request.user, ip=request.META.get("REMOTE_ADDR"))
    if request.htmx:
        return render(request, "appeals/_identity.html", {"appeal": appeal, "identity": identity})
    return _render_detail(request, appeal, identity=identity)


@login_required
@require_POST
def act(request, pk, action):
    appeal = access.access_appeal_by_id(request.user, pk)
    return PANEL.run(request, appeal, action, _render_detail)


@login_required
@require_POST
def reassess_request(request, pk, request_id):
    """The desk reopens a request kept on record, or confirms what was done and says why."""
    appeal = access.access_appeal_by_id(request.user, pk)
    access.require(request.user, "reassess_request", appeal)
    doubtful = get_object_or_404(appeal.doubtful_requests, pk=request_id)
    try:
        if request.POST.get("decision") == "reopen":
            actions.reopen_request(doubtful, request.user, note=request.POST.get("note", ""))
            messages.success(request, _("已重新受理该申请。"))
        else:
            actions.confirm_request(doubtful, request.user, note=request.POST.get("note", ""))
            messages.success(request, _("已维持原处理。"))
    except ActionError as e:
        messages.error(request, str(e))
    return redirect("appeals:detail", pk=appeal.pk)


@never_cache
@login_required
def attachment(request, pk, attachment_id):
    appeal = access.access_appeal_by_id(request.user, pk)
    return serve_upload(get_object_or_404(appeal.attachments, pk=attachment_id))


# --- 督办 notices ----------------------------------------------------------------------------


def _supervisions(user):
    return Supervision.objects.filter(scope_q(user, "unit", CASEWORK), appeal__in=visible_appeals(user))


@login_required
def supervisions(request):
    user = request.user
    notices = (
        _supervisions(user)
        .select_related("appeal", "unit", "sent_by")
        .order_by(
            F("acknowledged_at").desc(nulls_first=True),
            "-sent_at",
        )
    )
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(s, has_role_over(user, s.unit, HANDLING)) for s in page]
    return render(request, "appeals/supervisions.html", {"page_obj": page, "rows": rows})


@login_required
@require_POST
def acknowledge(request, pk):
    notice = get_object_or_404(_supervisions(request.user).select_related("appeal", "unit", "sent_by"), pk=pk)
    if not has_role_over(request.user, notice.unit, HANDLING):
        raise PermissionDenied(_("只有承办单位的承办人或负责人可以签收督办通知。"))
    actions.acknowledge_supervision(notice)
    notice.refresh_from_db(fields=["acknowledged_at"])
    if request.htmx:
        return render(request, "appeals/_supervision_row.html", {"s": notice, "can_ack": True})
    messages.success(request, _("已阅：%(code)s 的督办通知。") % {"code": notice.appeal.tracking_code})
    return redirect("appeals:supervisions")
