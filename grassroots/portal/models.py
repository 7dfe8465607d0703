"""What the portal keeps of its own: the addresses of assisted-service points."""

import ipaddress

from django.db import models
from django.utils.translation import gettext_lazy as _


class AssistedAddressQuerySet(models.QuerySet):
    def covering(self, ip: str):
        """The active entries whose network holds `ip` (none for an address that does not parse)."""
        try:
            address = ipaddress.ip_address(ip)
        except ValueError:
            return self.none()
        pks = [a.pk for a in self.filter(is_active=True) if address in a.ip_network]
        return self.filter(pk__in=pks)


class AssistedAddress(models.Model):
    """A 便民服务中心 or other place where staff submit for villagers from one address: the
    portal's per-address limit is higher there (settings.PORTAL_ASSISTED_SUBMIT_RATE), while the
    limit per phone number still holds for every resident."""

    network = models.CharField(
        _("地址或网段"), max_length=43, unique=True, help_text=_("如 10.2.3.4 或 10.2.3.0/24")
    )
    name = models.CharField(_("服务点名称"), max_length=100)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AssistedAddressQuerySet.as_manager()

    class Meta:
        verbose_name = _("便民服务点地址")
        verbose_name_plural = _("便民服务点地址")
        ordering = ["network"]

    def __str__(self):
        return f"{self.name}（{self.network}）"

    @property
    def ip_network(self):
        return ipaddress.ip_network(self.network, strict=False)
