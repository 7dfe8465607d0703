"""Public evidence images: checked like every upload, then re-encoded without their metadata.

Photos from phones carry EXIF data (GPS position, device, time) that must not reach a public
page; decoding and saving the pixels again drops it, and a file that does not decode as the
image it claims to be is refused.
"""

from io import BytesIO

from django.core.files.base import ContentFile
from PIL import Image, ImageOps

from grassroots.lib.uploads import UploadRejected, check_upload

from .sources import IMAGE_TYPES

FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}


def check_public_image(f) -> str:
    """The content type of an acceptable public image, or UploadRejected with a Chinese message."""
    content_type = check_upload(f)
    if content_type not in IMAGE_TYPES:
        raise UploadRejected(f"「{f.name}」不是图片：公开佐证只接受 JPG、PNG 图片。")
    return content_type


def without_metadata(fileobj, name: str, content_type: str) -> ContentFile:
    """The image's pixels, upright, in a new file named `name`; UploadRejected if it does not decode."""
    try:
        with Image.open(fileobj) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
            if content_type == "image/jpeg" and upright.mode not in ("RGB", "L"):
                upright = upright.convert("RGB")
            out = BytesIO()
            upright.save(
                out, format=FORMATS[content_type], **({"quality": 88} if content_type == "image/jpeg" else {})
            )
    except (OSError, ValueError, Image.DecompressionBombError):
        raise UploadRejected(f"图片「{name}」无法读取，请换一张再上传。") from None
    return ContentFile(out.getvalue(), name=name)
