from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
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
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last saved by"),
    )
    # Prefill: the earlier application parts were copied from, and the steps still showing copied content.
    prefilled_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("copied from")
    )
    copied_steps = models.JSONField(_("steps copied from an earlier application"), default=list, blank=True)
    # The last save of each wizard step, {step: {"version": n, "by": user pk or null, "at": ISO time}},
    # written with the version in the same UPDATE: two members editing the same step are told about
    # each other instead of overwriting silently (see forms.services.step_saved_since).
    saved_steps = models.JSONField(_("saved steps"), default=dict, blank=True, editable=False)

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


class CallFormSettings(models.Model):
    """How a call's application form looks: optional steps and parts a fund manager turns on or off."""

    call = models.OneToOneField(Call, on_delete=models.CASCADE, related_name="form_settings", verbose_name=_("call"))
    partners_enabled = models.BooleanField(_("ask projects carried with partners to name them"), default=True)
    budget_lines_enabled = models.BooleanField(_("ask for the project's expense budget (lines per year)"), default=True)
    yearly_targets_enabled = models.BooleanField(_("ask for a target per year for each indicator"), default=True)
    cofunding_enabled = models.BooleanField(
        _("let applicants address the same application to other open calls"), default=True
    )
    attachments_enabled = models.BooleanField(_("attachments step"), default=False)
    attachments_help = models.TextField(
        _("what to attach (plain language)"),
        blank=True,
        help_text=_("For example: letters of support from partners, the latest annual report."),
    )
    max_attachments = models.PositiveSmallIntegerField(
        _("maximum number of attachments"), default=10, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("application form of a call")
        verbose_name_plural = _("application forms of calls")

    def __str__(self) -> str:
        return str(self.call)


class CallQuestion(models.Model):
    """A question a fund manager adds to a step of a call's application form."""

    class Step(models.TextChoices):
        PROJECT = "project", _("Project")
        BUDGET = "budget", _("Budget")
        PARTNERS = "partners", _("Partners and indicators")
        SUSTAINABILITY = "sustainability", _("Sustainability and criteria")

    class Prefill(models.TextChoices):
        NONE = "", _("Nothing")
        MISSION = "mission", _("The organisation's mission")
        POPULATIONS = "populations", _("The populations the organisation serves")
        TERRITORY = "territory", _("The territory the organisation serves")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="questions", verbose_name=_("call"))
    step = models.CharField(_("step"), max_length=20, choices=Step.choices, default=Step.PROJECT)
    label = models.CharField(_("question"), max_length=300)
    help_text = models.TextField(_("plain-language help"), blank=True)
    max_length = models.PositiveIntegerField(
        _("maximum length (characters)"), default=1000, validators=[MinValueValidator(1), MaxValueValidator(10000)]
    )
    required = models.BooleanField(_("required"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    prefill = models.CharField(
        _("prefill from the organisation profile"), max_length=20, choices=Prefill.choices, blank=True
    )

    class Meta:
        ordering = ["call", "step", "position", "pk"]
        verbose_name = _("question of the application form")
        verbose_name_plural = _("questions of the application form")

    def __str__(self) -> str:
        return self.label


class QuestionAnswer(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="question_answers")
    question = models.ForeignKey(CallQuestion, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(_("answer"), blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "question"], name="unique_question_answer")]
        verbose_name = _("answer to a question")
        verbose_name_plural = _("answers to questions")

    def __str__(self) -> str:
        return f"{self.question}: {self.text[:40]}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    # Never the uploaded name: it could collide or leak; the original is kept in `name`.
    import uuid

    extension = {"pdf": "pdf", "png": "png", "jpeg": "jpg", "docx": "docx", "xlsx": "xlsx", "odt": "odt"}
    return f"private/applications/{instance.application_id}/{uuid.uuid4().hex}.{extension.get(instance.kind, 'txt')}"


class Attachment(models.Model):
    """A file joined to an application. Stored under a private path, downloaded through a checked view."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("kind of file"), max_length=10)
    size = models.PositiveIntegerField(_("size"))
    description = models.CharField(_("what this file is"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("added by")
    )
    uploaded_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        ordering = ["application", "uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


def form_settings(call: Call) -> CallFormSettings:
    """The call's form settings, or the defaults (unsaved) when the fund manager never changed them."""
    try:
        return call.form_settings
    except CallFormSettings.DoesNotExist:
        return CallFormSettings(call=call)
