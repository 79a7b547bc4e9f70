from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Organisation
from fonds.models import Call, ChecklistItem


class Application(models.Model):
    """A funding request of an organisation to a call. Editable until submitted."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        INELIGIBLE = "ineligible", _("Ineligible")
        IN_REVIEW = "in_review", _("Committee review")
        APPROVED = "approved", _("Approved")
        WAITLISTED = "waitlisted", _("Waitlisted")
        DECLINED = "declined", _("Declined")
        FUNDED = "funded", _("Funded")
        CLOSED = "closed", pgettext_lazy("application status", "Closed")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="applications", verbose_name=_("organisation")
    )
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications", verbose_name=_("call"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    title = models.CharField(_("project title"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), max_length=2000, blank=True)
    concerted = models.BooleanField(_("the project is carried with partners"), default=False)
    sustainability_plan = models.TextField(_("sustainability (pérennité) plan"), max_length=3000, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    wizard_step = models.CharField(_("current step"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("last saved"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    eligible = models.BooleanField(_("eligible"), null=True)
    screening_notes = models.TextField(_("screening notes"), blank=True)
    decision_reasons = models.TextField(_("reasons for the decision"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    # Optimistic concurrency: every save of the draft's content bumps it.
    version = models.PositiveIntegerField(_("version"), default=1)
    # Co-funding: the application written once (the lead) and its copies sent to other calls.
    lead = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cofunded",
        verbose_name=_("co-funded with"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self) -> str:
        return self.title or str(_("Untitled application"))

    def get_absolute_url(self) -> str:
        return reverse("forms:detail", args=[self.pk])

    @property
    def total_requested(self) -> Decimal:
        return sum((y.amount for y in self.years.all()), Decimal("0"))


class BudgetYear(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(
        _("amount asked"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )

    class Meta:
        ordering = ["application", "year"]
        constraints = [models.UniqueConstraint(fields=["application", "year"], name="unique_budget_year")]
        verbose_name = _("budget year")
        verbose_name_plural = _("budget years")

    def __str__(self) -> str:
        return f"{self.year}: {self.amount}"


class BudgetLine(models.Model):
    """A line of the project's budget (expenses) for one year, against which spending is reported."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="budget_lines")
    label = models.CharField(_("budget line"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(
        _("planned amount"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["application", "year", "position", "pk"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")

    def __str__(self) -> str:
        return f"{self.label} ({self.year}): {self.amount}"


class CoFundingRequest(models.Model):
    """Another call the same application is addressed to, with the amount asked of it."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="cofunding_requests")
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="+", verbose_name=_("call"))
    amount = models.DecimalField(
        _("amount asked"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "call"], name="unique_cofunding_call")]
        verbose_name = _("co-funding request")
        verbose_name_plural = _("co-funding requests")

    def __str__(self) -> str:
        return f"{self.call}: {self.amount}"


class Partner(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField(_("partner"), max_length=200)
    role = models.CharField(_("role in the project"), max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["application", "position", "pk"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(_("unit"), max_length=50)
    baseline = models.DecimalField(_("baseline"), max_digits=12, decimal_places=2, default=Decimal("0"))
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["application", "position", "pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name


class IndicatorTarget(models.Model):
    """The target of an indicator for one funded year (Indicator.target is the end-of-project target)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("target"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["indicator", "year"]
        constraints = [models.UniqueConstraint(fields=["indicator", "year"], name="unique_indicator_target_year")]
        verbose_name = _("yearly target")
        verbose_name_plural = _("yearly targets")

    def __str__(self) -> str:
        return f"{self.indicator} ({self.year}): {self.value}"


class ChecklistAnswer(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="checklist_answers")
    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="answers")
    checked = models.BooleanField(_("yes"), default=False)
    justification = models.CharField(_("justification"), max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "item"], name="unique_checklist_answer")]
        verbose_name = _("checklist answer")
        verbose_name_plural = _("checklist answers")

    def __str__(self) -> str:
        return f"{self.item}: {self.checked}"


class WizardState(models.Model):
    """The formtools wizard's state of one application, kept in the database so a draft resumes anywhere."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="wizard_state")
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("wizard state")
        verbose_name_plural = _("wizard states")

    def __str__(self) -> str:
        return f"wizard {self.application_id}"
