"""Every state change of an appeal, one function each.

Each action is atomic: it claims the appeal by its version (so two handlers acting
at once cannot both succeed), checks the state, writes the change and an Event on
the timeline, and queues notifications to be sent after commit. The statutory clocks
move only through `deadlines`. Callers check permissions first (`access.require`);
actions check the law, citing the article of 信访工作条例 (2022) they apply.
"""

from grassroots.lib.actions import ActionError, Conflict

from .answers import (
    DOCUMENT_WINDOW,
    assign_review,
    close,
    decide_review,
    latest_document,
    rate,
    rated_stage,
    record_delivery,
    record_portal_view,
    reply,
    request_review,
    review_handlers,
    review_stage_open,
)
from .handling import (
    decide_extension,
    decide_pause,
    dispatch,
    handle,
    inform,
    object_to_dispatch,
    pause_grounds,
    record_pause,
    request_extension,
    resolve_objection,
)
from .intake import FinalMatter, categorize, final_matter, mark_duplicate, not_accept, register
from .requests import (
    confirm_request,
    doubtful_requests_for,
    reassess_doubtful_requests,
    recompute_open_deadlines,
    reopen_request,
)
from .supervision import acknowledge_supervision, reveal_identity, supervise

__all__ = [
    "ActionError",
    "Conflict",
    "DOCUMENT_WINDOW",
    "FinalMatter",
    "acknowledge_supervision",
    "assign_review",
    "categorize",
    "close",
    "confirm_request",
    "decide_extension",
    "decide_pause",
    "decide_review",
    "dispatch",
    "doubtful_requests_for",
    "final_matter",
    "handle",
    "inform",
    "latest_document",
    "mark_duplicate",
    "not_accept",
    "object_to_dispatch",
    "pause_grounds",
    "rate",
    "rated_stage",
    "reassess_doubtful_requests",
    "recompute_open_deadlines",
    "record_delivery",
    "record_pause",
    "record_portal_view",
    "register",
    "reopen_request",
    "reply",
    "request_extension",
    "request_review",
    "resolve_objection",
    "reveal_identity",
    "review_handlers",
    "review_stage_open",
    "supervise",
]
