from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Mrc, Organisation, Region
from fonds.models import Call, Criterion
from forms.models import Application


class Section(models.TextChoices):
    """Parts of a draft an advisor can comment on (the wizard's steps)."""

    PROJECT = "project", _("Project")
    BUDGET = "budget", _("Budget")
    PARTNERS = "partners", _("Partners and indicators")
    SUSTAINABILITY = "sustainability", _("Sustainability and criteria")


# The questions of each section a comment can point at (the wizard's field names).
QUESTIONS = {
    Section.PROJECT: [("title", _("Project title")), ("summary", _("Summary")), ("concerted", _("With partners"))],
    Section.BUDGET: [("amounts", _("Amounts asked per year")), ("budget_lines", _("Budget lines"))],
    Section.PARTNERS: [("partners", _("Partners")), ("indicators", _("Indicators"))],
    Section.SUSTAINABILITY: [
        ("sustainability_plan", _("Sustainability (pérennité) plan")),
        ("checklist", _("Checklist of the criteria")),
    ],
}
QUESTION_LABELS = {key: label for questions in QUESTIONS.values() for key, label in questions}


class SupportRequest(models.Model):
    """An applicant's request for an advisor's help on a draft."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="support_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="support_requests", verbose_name=_("advisor")
    )
    message = models.TextField(_("what would you like help with?"), max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("support request")
        verbose_name_plural = _("support requests")

    def __str__(self) -> str:
        return f"{self.application} / {self.advisor}"


class AdvisorProfile(models.Model):
    """Which territories an advisor serves and how many drafts they take at once (set by fund managers)."""

    advisor = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="advisor_profile", verbose_name=_("advisor")
    )
    regions = models.ManyToManyField(Region, blank=True, related_name="+", verbose_name=_("regions served"))
    mrcs = models.ManyToManyField(Mrc, blank=True, related_name="+", verbose_name=_("MRCs served"))
    capacity = models.PositiveSmallIntegerField(
        _("maximum open drafts"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    available = models.BooleanField(_("takes new requests"), default=True)

    class Meta:
        verbose_name = _("advisor assignment rule")
        verbose_name_plural = _("advisor assignment rules")

    def __str__(self) -> str:
        return str(self.advisor)


class Comment(models.Model):
    """A comment on a section (or one question) of a draft, by the advisor or the applicant's team.

    Threads: a reply has a `parent` (always a top-level comment). Resolving marks the whole thread.
    `seen_at` is set when the other side first opens the thread: the unread badge counts the rest.
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="advisor_comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    by_applicant = models.BooleanField(default=False)
    section = models.CharField(_("section"), max_length=20, choices=Section.choices)
    question = models.CharField(_("question"), max_length=60, blank=True)
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies")
    body = models.TextField(_("comment"), max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("advisor comment")
        verbose_name_plural = _("advisor comments")

    def __str__(self) -> str:
        return f"{self.get_section_display()}: {self.body[:40]}"

    @property
    def question_label(self) -> str:
        return str(QUESTION_LABELS.get(self.question, self.question))


class CommitteeSettings(models.Model):
    """A call's committee beyond its members (Call.committee): the chair and the review rules."""

    call = models.OneToOneField(Call, on_delete=models.CASCADE, related_name="review_settings")
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="chaired_committees",
        verbose_name=_("chair"),
    )
    comment_threshold = models.PositiveSmallIntegerField(
        _("comment required at or under this score"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(5)],
        help_text=_("Leave empty when no comment is required."),
    )
    disagreement_threshold = models.DecimalField(
        _("flag when reviewers' totals differ by more than"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.50"),
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        verbose_name = _("committee settings")
        verbose_name_plural = _("committee settings")

    def __str__(self) -> str:
        return str(self.call)


class RubricLevel(models.Model):
    """What a score of 0 to 5 means for one criterion."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="levels")
    level = models.PositiveSmallIntegerField(_("score"), validators=[MaxValueValidator(5)])
    description = models.CharField(_("what this score means"), max_length=300)

    class Meta:
        ordering = ["criterion", "level"]
        constraints = [models.UniqueConstraint(fields=["criterion", "level"], name="unique_rubric_level")]
        verbose_name = _("rubric level")
        verbose_name_plural = _("rubric levels")

    def __str__(self) -> str:
        return f"{self.criterion} {self.level}"


class ConflictDeclaration(models.Model):
    """A committee member's declaration for a call (possibly of no conflict at all)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="conflict_declarations")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conflict_declarations")
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["call", "member"], name="unique_conflict_declaration")]
        verbose_name = _("conflict-of-interest declaration")
        verbose_name_plural = _("conflict-of-interest declarations")

    def __str__(self) -> str:
        return f"{self.member} / {self.call}"


class Conflict(models.Model):
    """A member may not see anything of an organisation's applications to the call."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="conflicts")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conflicts")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=300)
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["call", "member", "organisation"], name="unique_conflict"),
        ]
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")

    def __str__(self) -> str:
        return f"{self.member} ↔ {self.organisation}"


class ReviewerAssignment(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviewer_assignments")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_assignments")
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "reviewer"], name="unique_reviewer_assignment")]
        verbose_name = _("reviewer assignment")
        verbose_name_plural = _("reviewer assignments")

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.application}"


class Score(models.Model):
    assignment = models.ForeignKey(ReviewerAssignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    # Empty only while the reviewer's scores are a draft (assignment not submitted).
    value = models.PositiveSmallIntegerField(
        _("score"), null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), max_length=2000, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="unique_score"),
            models.CheckConstraint(condition=models.Q(value__lte=5), name="score_at_most_five"),
        ]
        verbose_name = _("score")
        verbose_name_plural = _("scores")

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


class SimulatedAmount(models.Model):
    """The committee's working amount for an application in the envelope simulation (not a decision)."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="simulated_amount")
    amount = models.DecimalField(
        _("amount"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("simulated amount")
        verbose_name_plural = _("simulated amounts")

    def __str__(self) -> str:
        return f"{self.application}: {self.amount}"


class DecisionYear(models.Model):
    """The amount approved for one year of an approved application (set with the decision)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="decision_years")
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(
        _("amount approved"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )

    class Meta:
        ordering = ["application", "year"]
        constraints = [models.UniqueConstraint(fields=["application", "year"], name="unique_decision_year")]
        verbose_name = _("approved amount")
        verbose_name_plural = _("approved amounts")

    def __str__(self) -> str:
        return f"{self.year}: {self.amount}"
