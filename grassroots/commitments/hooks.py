"""Calls from the sources' own actions when their work moves on.

Each progress-changing action of a source calls its hook inside its own transaction, so the
public entry commits (or rolls back) with the change. The ledger and on-site office work
without this app — a deployment may leave public commitments out — so the hook does nothing
when the app is not installed.
"""

from django.apps import apps


def source_changed(source, event) -> None:
    """`source` is an adapter from sources.py wrapping the changed object; `event` its new event."""
    if not apps.is_installed("grassroots.commitments"):
        return
    from .actions import record_source_event

    record_source_event(source, event)


def problem_changed(problem, event) -> None:
    """Called by the ledger's update_progress, mark_done, accept, return_for_rework and close_out."""
    if not apps.is_installed("grassroots.commitments"):
        return
    from .sources import ProblemSource

    source_changed(ProblemSource(problem), event)


def task_changed(task, event) -> None:
    """Called by on-site office's update_progress, submit, accept and return_task; `event` is the
    task's new TaskUpdate."""
    if not apps.is_installed("grassroots.commitments"):
        return
    from .sources import TaskSource

    source_changed(TaskSource(task), event)


def task_deadline_moved(task, before, event) -> None:
    """Called when a calendar edit moved an on-site task's working-day deadline from `before`."""
    if not apps.is_installed("grassroots.commitments"):
        return
    from .actions import follow_source_deadline

    follow_source_deadline(task, before, event)
