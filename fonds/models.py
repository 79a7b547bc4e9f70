from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Mrc, Population, Region, Vocabulary


class Theme(Vocabulary):
    """What a call is about (food security, housing, social inclusion...)."""

    class Meta(Vocabulary.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")


class Funder(models.Model):
    """A funding body: ministry, MRC, foundation, Centraide..."""

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Government programme")
        MRC = "mrc", _("MRC")
        FOUNDATION = "foundation", _("Foundation")
        CENTRAIDE = "centraide", _("Centraide")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="funders", verbose_name=_("staff")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("funder")
        verbose_name_plural = _("funders")

    def __str__(self) -> str:
        return self.name


class Fund(models.Model):
    funder = models.ForeignKey(Funder, on_delete=models.PROTECT, related_name="funds", verbose_name=_("funder"))
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="managed_funds", verbose_name=_("managers")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("fund")
        verbose_name_plural = _("funds")

    def __str__(self) -> str:
        return self.name


class Call(models.Model):
    """A call for projects (appel de projets) of a fund."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="calls", verbose_name=_("fund"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    envelope = models.DecimalField(
        _("budget envelope"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    min_amount = models.DecimalField(
        _("minimum amount"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    max_amount = models.DecimalField(
        _("maximum amount"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    max_years = models.PositiveSmallIntegerField(_("maximum number of years"), default=1)
    reviewers_per_application = models.PositiveSmallIntegerField(_("reviewers per application"), default=2)
    committee = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="committee_calls", verbose_name=_("selection committee")
    )
    decision_expected_on = models.DateField(_("decision expected on"), null=True, blank=True)
    projects_start_on = models.DateField(_("projects start on"), null=True, blank=True)
    # Territory served: whole regions and/or single MRC; both empty means all of Québec.
    regions = models.ManyToManyField(
        Region,
        blank=True,
        related_name="calls",
        verbose_name=_("regions served"),
        help_text=_("Leave regions and MRC empty when the call is open to all of Québec."),
    )
    mrcs = models.ManyToManyField(Mrc, blank=True, related_name="calls", verbose_name=_("MRC served"))
    themes = models.ManyToManyField(Theme, blank=True, related_name="calls", verbose_name=_("themes"))
    populations = models.ManyToManyField(
        Population,
        blank=True,
        related_name="calls",
        verbose_name=_("populations targeted"),
        help_text=_("Leave empty when the call is open to projects for every population."),
    )

    class Meta:
        ordering = ["closes_at"]
        verbose_name = _("call for projects")
        verbose_name_plural = _("calls for projects")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="call_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=models.Q(max_amount__gte=models.F("min_amount")), name="call_max_above_min"
            ),
            models.CheckConstraint(condition=models.Q(max_years__gte=1), name="call_at_least_one_year"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("fonds:call", args=[self.pk])

    def accepts_submissions(self, *, at=None) -> bool:
        at = at or timezone.now()
        return self.opens_at <= at < self.closes_at

    @property
    def is_open(self) -> bool:
        return self.accepts_submissions()


class Criterion(models.Model):
    """One line of a call's published rubric, used by applicants and reviewers alike."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("call"))
    key = models.SlugField(_("key"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("plain-language description"))
    guiding_questions = models.TextField(
        _("guiding questions"), blank=True, help_text=_("Questions that help applicants write about this criterion.")
    )
    examples = models.TextField(_("examples"), blank=True, help_text=_("What a strong answer looks like."))
    weight = models.DecimalField(
        _("weight"), max_digits=5, decimal_places=2, default=Decimal("1"), validators=[MinValueValidator(Decimal("0"))]
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["call", "position", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [models.UniqueConstraint(fields=["call", "key"], name="unique_criterion_key_per_call")]

    def __str__(self) -> str:
        return self.title


class ChecklistItem(models.Model):
    """A yes/no question of a criterion's checklist, justified by the applicant."""

    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="checklist", verbose_name=_("criterion")
    )
    text = models.CharField(_("question"), max_length=300)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["criterion", "position", "pk"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")

    def __str__(self) -> str:
        return self.text


class EligibilityRule(models.Model):
    """One eligibility condition of a call, as data a fund manager edits in the admin.

    `parameters` depends on `kind` (see fonds.eligibility.KIND_PARAMETERS); the rules that can
    be derived from the call (territory, populations, amounts, duration) may leave it empty.
    """

    class Kind(models.TextChoices):
        LEGAL_FORM_IN = "legal_form_in", _("Legal form is one of")
        TERRITORY_IN = "territory_in", _("Territory served is in")
        POPULATION_ANY = "population_any", _("Serves at least one of the populations")
        AMOUNT_BETWEEN = "amount_between", _("Amount asked is between")
        YEARS_AT_MOST = "years_at_most", _("Project lasts at most (years)")
        BUDGET_AT_MOST = "budget_at_most", _("Organisation's annual budget is at most")
        BUDGET_AT_LEAST = "budget_at_least", _("Organisation's annual budget is at least")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="eligibility_rules", verbose_name=_("call"))
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    message = models.CharField(
        _("message when not met"),
        max_length=300,
        blank=True,
        help_text=_("Optional: replaces the standard explanation shown to an organisation that does not meet it."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["call", "position", "pk"]
        verbose_name = _("eligibility rule")
        verbose_name_plural = _("eligibility rules")

    def __str__(self) -> str:
        return f"{self.call}: {self.get_kind_display()}"
