from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fonds.models import Criterion
from forms.models import Application


class Section(models.TextChoices):
    """Parts of a draft an advisor can comment on (the wizard's steps)."""

    PROJECT = "project", _("Project")
    BUDGET = "budget", _("Budget")
    PARTNERS = "partners", _("Partners and indicators")
    SUSTAINABILITY = "sustainability", _("Sustainability and criteria")


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


class Comment(models.Model):
    """An advisor's comment on one section of a draft; the applicant sees it."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="advisor_comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    section = models.CharField(_("section"), max_length=20, choices=Section.choices)
    body = models.TextField(_("comment"), max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("advisor comment")
        verbose_name_plural = _("advisor comments")

    def __str__(self) -> str:
        return f"{self.get_section_display()}: {self.body[:40]}"


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
    value = models.PositiveSmallIntegerField(_("score"), validators=[MinValueValidator(0), MaxValueValidator(5)])
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
