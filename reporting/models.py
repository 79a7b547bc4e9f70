from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fonds.models import Fund
from forms.models import Application, Indicator


class Agreement(models.Model):
    """The funding agreement of an approved application."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="agreement")
    conditions = models.TextField(_("conditions"), blank=True)
    signed_on = models.DateField(_("signature date"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self) -> str:
        return str(self.application)

    @property
    def total(self) -> Decimal:
        return sum((y.amount for y in self.years.all()), Decimal("0"))


class AgreementYear(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(
        _("approved amount"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    report_due_on = models.DateField(_("report due"))

    class Meta:
        ordering = ["agreement", "year"]
        constraints = [models.UniqueConstraint(fields=["agreement", "year"], name="unique_agreement_year")]
        verbose_name = _("funded year")
        verbose_name_plural = _("funded years")

    def __str__(self) -> str:
        return f"{self.year}: {self.amount}"


class Report(models.Model):
    """A yearly report of a funded project."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="reports")
    year = models.PositiveSmallIntegerField(_("year"))
    narrative = models.TextField(_("what happened this year"), max_length=4000)
    sustainability_update = models.TextField(_("sustainability (pérennité) update"), max_length=3000, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["agreement", "year"]
        constraints = [models.UniqueConstraint(fields=["agreement", "year"], name="unique_report_year")]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return f"{self.agreement} — {self.year}"


class IndicatorResult(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="results")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="results")
    actual = models.DecimalField(_("actual value"), max_digits=12, decimal_places=2)
    comment = models.CharField(_("comment"), max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "indicator"], name="unique_indicator_result")]
        verbose_name = _("indicator result")
        verbose_name_plural = _("indicator results")

    def __str__(self) -> str:
        return f"{self.indicator}: {self.actual}"


class AccountabilityExport(models.Model):
    """A funder's request for a fund's accountability PDF, rendered by a Celery task."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="exports")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    language = models.CharField(max_length=5, choices=settings.LANGUAGES, default="fr")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(upload_to="exports/%Y/", blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("accountability report")
        verbose_name_plural = _("accountability reports")

    def __str__(self) -> str:
        return f"{self.fund} ({self.created_at:%Y-%m-%d})"
