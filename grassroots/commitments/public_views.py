"""The residents' side (no account): the commitments board of a place, a commitment's page with
its timeline and evidence, following by phone and unfollowing with the code from the SMS.

Only published commitments are shown, with what residents need: what, by when, who, where,
status, progress and the public timeline; never the source's internal material or people.
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from grassroots.accounts.models import Level, OrgUnit
from grassroots.lib.actions import ActionError
from grassroots.lib.crypto import mask_phone
from grassroots.portal import ratelimit

from . import access, actions
from .forms import FollowForm, UnfollowForm
from .models import Status, UpdateImage

PAGE_SIZE = 20


def _limited(request, what):
    return render(request, "portal/limited.html", {"what": what}, status=429)


def _board_place(place_id):
    if place_id is None:
        return None
    place = OrgUnit.objects.areas().filter(pk=place_id).first()
    if place is None:
        raise Http404("没有这个地方。")
    return place


def board(request, place_id=None):
    """The board of a place: its own and its subtree's published commitments; without a place, all."""
    place = _board_place(place_id)
    commitments = access.public_commitments()
    if place is None:
        choices = OrgUnit.objects.areas().filter(level=Level.COUNTY)
        trail = []
    else:
        commitments = commitments.at_or_below(place)
        choices = place.children.areas()
        trail = [u for u in place.ancestors() if u.level >= Level.COUNTY]
    status = request.GET.get("status", "")
    commitments = commitments.with_status(status if status in Status.values else "")
    page = Paginator(commitments.order_by("due_date", "id"), PAGE_SIZE).get_page(request.GET.get("page"))
    published = access.public_commitments()
    places = [(u, published.at_or_below(u).count()) for u in choices.order_by("name", "pk")]
    return render(
        request,
        "commitments/public_board.html",
        {
            "place": place,
            "trail": trail,
            "places": places,
            "page_obj": page,
            "status": status,
            "statuses": Status.choices,
        },
    )


@require_http_methods(["GET", "POST"])
def detail(request, pk):
    commitment = access.public_commitment_by_id(pk)
    context = {
        "c": commitment,
        "updates": commitment.updates.prefetch_related("images"),
        "trail": [u for u in commitment.place.ancestors() if u.level >= Level.COUNTY],
    }
    if request.method != "POST":
        return render(request, "commitments/public_detail.html", {**context, "form": FollowForm()})
    ip = ratelimit.client_ip(request)
    if ratelimit.exceeded("commitments-follow", ip, settings.PORTAL_SUBMIT_RATE):
        return _limited(request, "关注")
    form = FollowForm(request.POST)
    if form.is_valid():
        ratelimit.hit("commitments-follow", ip)
        try:
            follower, _new = actions.follow(
                commitment.pk,
                phone=form.cleaned_data["phone"],
                submission_token=form.cleaned_data["submission_token"],
            )
        except ActionError as e:
            form.add_error(None, str(e))
        else:  # the same page for a new and an existing follow: it does not tell who follows what
            return render(
                request,
                "commitments/followed.html",
                {"c": commitment, "masked_phone": mask_phone(follower.phone)},
            )
    if "submission_token" in form.errors:
        form.fresh_token()
    return render(request, "commitments/public_detail.html", {**context, "form": form}, status=400)


def image(request, pk, image_id):
    """An evidence image of a published commitment, shown inline (re-encoded at upload, nosniff)."""
    commitment = access.public_commitment_by_id(pk)
    item = get_object_or_404(UpdateImage, pk=image_id, update__commitment=commitment)
    try:
        f = item.file.open("rb")
    except FileNotFoundError:
        raise Http404("图片不存在。") from None
    response = FileResponse(f, content_type=item.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


@require_http_methods(["GET", "POST"])
def unfollow(request):
    if request.method != "POST":
        form = UnfollowForm(initial={"code": request.GET.get("code", "")})
        return render(request, "commitments/unfollow.html", {"form": form})
    ip = ratelimit.client_ip(request)
    if ratelimit.exceeded("commitments-unfollow", ip, settings.PORTAL_LOOKUP_RATE):
        return _limited(request, "取消关注")
    ratelimit.hit("commitments-unfollow", ip)
    form = UnfollowForm(request.POST)
    if form.is_valid():
        try:
            commitment = actions.unfollow(form.cleaned_data["code"])
        except ActionError as e:
            form.add_error(None, str(e))
        else:
            return render(request, "commitments/unfollowed.html", {"c": commitment})
    return render(request, "commitments/unfollow.html", {"form": form}, status=400)
