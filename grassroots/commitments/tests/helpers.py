from datetime import date
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from grassroots.commitments import actions


def image_bytes(fmt="PNG", exif_model=None) -> bytes:
    out = BytesIO()
    extra = {}
    if exif_model:
        exif = Image.Exif()
        exif[0x0110] = exif_model  # Model: a stand-in for the metadata a phone writes (GPS, device)
        extra["exif"] = exif
    Image.new("RGB", (8, 6), "teal").save(out, format=fmt, **extra)
    return out.getvalue()


def photo(name="现场照片.jpg", exif_model=None):
    return SimpleUploadedFile(name, image_bytes("JPEG", exif_model), content_type="image/jpeg")


def png(name="整改后.png"):
    return SimpleUploadedFile(name, image_bytes("PNG"), content_type="image/png")


def make_commitment(org, *, actor=None, publish=False, **kw):
    fields = {
        "content": "年底前修好城东村三组的路灯",
        "due_date": date(2026, 3, 31),
        "responsible_unit": org.chengguan,
        "responsible_person": "城关镇镇长 汉克",
        "place": org.chengdong,
    }
    fields.update(kw)
    commitment = actions.create(actor=actor or org.head, **fields)
    if publish:
        actions.publish(commitment, org.head if actor is None else actor)
        commitment.refresh_from_db()
    return commitment
