"""Follow-up of funded projects: agreements, payment tranches, reports, targets, reminders, exports."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fonds.models import Fund
from forms.models import Application, BudgetLine, Indicator


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

    @property
    def disbursed(self) -> Decimal:
        return sum((t.amount for t in self.tranches.all() if t.released_at), Decimal("0"))

    @property
    def next_due_year(self) -> "AgreementYear | None":
        """The first funded year whose report is not sent yet (or was sent back); None when all are in."""
        sent = {r.year for r in self.reports.all() if r.status != Report.Status.SENT_BACK}
        return next((y for y in self.years.all() if y.year not in sent), None)


class AgreementYear(models.Model):
    """One funded year: its approved amount, when it starts and when its report is due."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(
        _("approved amount"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    # The funded year runs from starts_on for twelve months; its calendar year is the fund-year it counts in.
    starts_on = models.DateField(_("starts on"), null=True)
    report_due_on = models.DateField(_("report due"))

    class Meta:
        ordering = ["agreement", "year"]
        constraints = [models.UniqueConstraint(fields=["agreement", "year"], name="unique_agreement_year")]
        verbose_name = _("funded year")
        verbose_name_plural = _("funded years")

    def __str__(self) -> str:
        return f"{self.year}: {self.amount}"

    @property
    def is_final(self) -> bool:
        return self.year == self.agreement.years.count()


class PaymentTranche(models.Model):
    """A payment of the agreement, released at signature or when the report of a year is approved."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="tranches")
    position = models.PositiveSmallIntegerField(_("tranche"))
    amount = models.DecimalField(
        _("amount"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    planned_on = models.DateField(_("planned payment date"))
    # None: released at signature. Otherwise the year whose approved report releases it.
    after_report_year = models.PositiveSmallIntegerField(_("after the report of year"), null=True, blank=True)
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    released_with = models.ForeignKey(
        "Report", on_delete=models.SET_NULL, null=True, blank=True, related_name="released_tranches"
    )

    class Meta:
        ordering = ["agreement", "position"]
        constraints = [models.UniqueConstraint(fields=["agreement", "position"], name="unique_tranche_position")]
        verbose_name = _("payment tranche")
        verbose_name_plural = _("payment tranches")

    def __str__(self) -> str:
        return f"{self.agreement} #{self.position}: {self.amount}"


class Report(models.Model):
    """The yearly (or, for the last funded year, final) report of a funded project.

    One row per agreement and year: a report sent back is corrected and sent again
    in place; every decision on it is kept in ReportReview. A co-funded project
    files once: the copies made for the other agreements of the group point to
    the report actually written through `source`.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for review")
        SENT_BACK = "sent_back", _("Sent back for changes")
        APPROVED = "approved", _("Approved")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="reports")
    year = models.PositiveSmallIntegerField(_("year"))
    is_final = models.BooleanField(_("final report"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    narrative = models.TextField(_("what happened this year"), max_length=4000)
    sustainability_update = models.TextField(_("sustainability (pérennité) update"), max_length=3000, blank=True)
    lessons = models.TextField(_("results and lessons learnt"), max_length=4000, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    approved_at = models.DateTimeField(null=True, blank=True)
    source = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies", verbose_name=_("filed as")
    )

    class Meta:
        ordering = ["agreement", "year"]
        constraints = [models.UniqueConstraint(fields=["agreement", "year"], name="unique_report_year")]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return f"{self.agreement} — {self.year}"


class ReportReview(models.Model):
    """A fund manager's decision on a report: approved, or sent back with comments. The audit trail."""

    class Decision(models.TextChoices):
        APPROVED = "approved", _("Approved")
        SENT_BACK = "sent_back", _("Sent back for changes")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="reviews")
    decision = models.CharField(_("decision"), max_length=12, choices=Decision.choices)
    comments = models.TextField(_("comments"), max_length=4000, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["report", "at", "pk"]
        verbose_name = _("report review")
        verbose_name_plural = _("report reviews")

    def __str__(self) -> str:
        return f"{self.report}: {self.decision}"


class IndicatorResult(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="results")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="results")
    actual = models.DecimalField(_("actual value"), max_digits=12, decimal_places=2)
    # The yearly target in force when the report was filed: later target changes do not rewrite history.
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2, null=True, blank=True)
    off_target = models.BooleanField(_("off target"), default=False)
    comment = models.CharField(_("comment"), max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "indicator"], name="unique_indicator_result")]
        verbose_name = _("indicator result")
        verbose_name_plural = _("indicator results")

    def __str__(self) -> str:
        return f"{self.indicator}: {self.actual}"


class SpendingLine(models.Model):
    """Money spent in the report's year on one budget line, against what was planned."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="spending")
    budget_line = models.ForeignKey(BudgetLine, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    label = models.CharField(_("budget line"), max_length=200)
    planned = models.DecimalField(_("planned"), max_digits=12, decimal_places=2)
    spent = models.DecimalField(_("spent"), max_digits=12, decimal_places=2, null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["report", "position", "pk"]
        verbose_name = _("spending line")
        verbose_name_plural = _("spending lines")

    def __str__(self) -> str:
        return f"{self.label}: {self.spent} / {self.planned}"


class ReportAttachment(models.Model):
    """A file sent with a report. Its type was checked on its bytes, its size against ATTACHMENT_MAX_BYTES."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="reports/%Y/")
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["report", "uploaded_at", "pk"]
        verbose_name = _("report attachment")
        verbose_name_plural = _("report attachments")

    def __str__(self) -> str:
        return self.name


class TargetChange(models.Model):
    """A request to change an indicator's target for one funded year, and the fund manager's decision.

    The rows are the history: an approved request wrote forms.IndicatorTarget.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="target_changes")
    year = models.PositiveSmallIntegerField(_("year"))
    previous_value = models.DecimalField(_("current target"), max_digits=12, decimal_places=2)
    proposed_value = models.DecimalField(_("proposed target"), max_digits=12, decimal_places=2)
    justification = models.TextField(_("justification"), max_length=2000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(_("comment on the decision"), max_length=2000, blank=True)

    class Meta:
        ordering = ["indicator", "requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"],
                condition=models.Q(status="pending"),
                name="one_pending_target_change",
            )
        ]
        verbose_name = _("target change")
        verbose_name_plural = _("target changes")

    def __str__(self) -> str:
        return f"{self.indicator} ({self.year}): {self.previous_value} → {self.proposed_value}"


class ReportReminder(models.Model):
    """One reminder e-mail about the report of a funded year; the log that makes reminders go once."""

    agreement_year = models.ForeignKey(AgreementYear, on_delete=models.CASCADE, related_name="reminders")
    # Days from the due date: negative before it, positive after it.
    offset = models.SmallIntegerField()
    sent_on = models.DateField(default=date.today)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agreement_year", "offset"], name="unique_report_reminder")]
        verbose_name = _("report reminder")
        verbose_name_plural = _("report reminders")

    def __str__(self) -> str:
        return f"{self.agreement_year} ({self.offset:+d})"


class AccountabilityExport(models.Model):
    """An accountability PDF (a fund, a fund-year or a project), rendered by a Celery task.

    One row per kind, scope and language: asking again reuses it when nothing
    changed since (see `data_stamp`), or renders it again in place.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    class Kind(models.TextChoices):
        FUND = "fund", _("Whole fund")
        FUND_YEAR = "fund_year", _("Fund-year")
        PROJECT = "project", _("Project")

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="exports")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.FUND)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, null=True, blank=True, related_name="accountability_exports"
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    language = models.CharField(max_length=5, choices=settings.LANGUAGES, default="fr")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    data_stamp = models.CharField(max_length=64, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
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
