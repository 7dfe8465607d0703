from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """Every message the platform sent (or failed to send), for audit and de-duplication."""

    class Channel(models.TextChoices):
        SMS = "sms", _("短信")
        EMAIL = "email", _("邮件")

    channel = models.CharField(max_length=8, choices=Channel.choices)
    recipient = models.CharField(max_length=200)  # masked for phones: the clear number is never stored here
    template = models.CharField(max_length=40)
    body = models.TextField()
    appeal = models.ForeignKey(
        "appeals.Appeal", null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    dedupe_key = models.CharField(max_length=120, blank=True, db_index=True)
    sent_at = models.DateTimeField(auto_now_add=True)
    ok = models.BooleanField(default=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-sent_at"]
