from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from grassroots.ledger import actions
from grassroots.ledger.models import Domain, Source

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def png(name="现场照片.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def make_problem(org, *, unit=None, actor=None, description="城东村三组排水沟堵塞", **kw):
    fields = {
        "source": Source.SELF_CHECK,
        "domain": Domain.ENVIRONMENT,
        "place": org.chengdong,
        "description": description,
        "measures": "清淤并加装盖板",
        "responsible_unit": unit or org.chengguan,
        "responsible_leader": org.head,
        "deadline": date(2026, 3, 31),
    }
    fields.update(kw)
    return actions.create(actor=actor or org.head, **fields)
