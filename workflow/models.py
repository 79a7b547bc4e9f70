from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from forms.models import Application


class ApplicationProcess(Process):
    """The viewflow process that carries one application from draft to closing."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="process", verbose_name=_("application")
    )

    class Meta:
        verbose_name = _("application process")
        verbose_name_plural = _("application processes")
        permissions = [
            ("screen_application", _("Can screen eligibility")),
            ("assign_reviewers", _("Can assign reviewers")),
            ("decide_application", _("Can record decisions")),
            ("manage_agreement", _("Can set up agreements")),
            ("review_report", _("Can approve reports")),
        ]


class OutboxMessage(models.Model):
    """An e-mail to send. Written in the same transaction as the action, so a broker outage loses nothing."""

    kind = models.CharField(max_length=40)
    recipient = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["sent_at", "created_at"], name="outbox_pending")]
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"
