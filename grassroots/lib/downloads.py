"""Serving an uploaded file (attachment, evidence) to someone the caller has already authorised."""

from django.http import FileResponse, Http404


def serve_upload(item) -> FileResponse:
    """`item` has `file`, `original_name` and `content_type` (checked at upload by lib.uploads).
    Always a download, never rendered inline, so an uploaded file cannot run in our origin."""
    try:
        f = item.file.open("rb")
    except FileNotFoundError:
        raise Http404("文件不存在。") from None
    response = FileResponse(
        f, as_attachment=True, filename=item.original_name, content_type=item.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
