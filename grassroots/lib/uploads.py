"""Checks for uploaded attachments: type by content (not by name), size and count."""

from django.conf import settings

# magic bytes -> (content type, allowed extensions)
SIGNATURES = [
    (b"\xff\xd8\xff", "image/jpeg", {"jpg", "jpeg"}),
    (b"\x89PNG\r\n\x1a\n", "image/png", {"png"}),
    (b"%PDF-", "application/pdf", {"pdf"}),
]


class UploadRejected(ValueError):
    pass


def check_upload(f) -> str:
    """Return the content type of an acceptable upload, or raise UploadRejected (Chinese message)."""
    name = f.name or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if f.size > settings.ATTACHMENT_MAX_BYTES:
        limit = settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)
        raise UploadRejected(f"附件「{name}」超过 {limit} MB，请压缩后再上传。")
    head = f.read(16)
    f.seek(0)
    for magic, content_type, extensions in SIGNATURES:
        if head.startswith(magic):
            if ext not in extensions:
                raise UploadRejected(f"附件「{name}」的扩展名与文件内容不符。")
            return content_type
    raise UploadRejected(f"附件「{name}」不是允许的类型：只接受 JPG、PNG 图片和 PDF 文件。")


def check_uploads(files) -> list[tuple[object, str]]:
    if len(files) > settings.ATTACHMENT_MAX_COUNT:
        raise UploadRejected(f"附件最多 {settings.ATTACHMENT_MAX_COUNT} 个。")
    return [(f, check_upload(f)) for f in files]


def upload_help() -> str:
    """What an upload field accepts, said before anyone picks a file."""
    mb = settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)
    return f"JPG、PNG 图片或 PDF 文件，最多 {settings.ATTACHMENT_MAX_COUNT} 个，每个不超过 {mb} MB。"
