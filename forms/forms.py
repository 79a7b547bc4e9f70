"""The wizard's forms. They validate input only; views hand cleaned data to forms.services."""

from decimal import Decimal

from django import forms
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _

from config import fields as safe_fields
from fonds.models import Call, ChecklistItem
from fonds.templatetags.guichet import format_money

from .partial import RowsFormSet, StepForm


class MoneyField(safe_fields.DecimalField):
    """An amount in dollars, typed the Québec way ("20 000,50 $") or the English way ("$20,000.50")."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal("0"))
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("$", "").replace("\u00a0", "").replace("\u202f", "").replace(" ", "").strip()
            # In English the comma groups thousands ("20,000.50"); in French it is the decimal mark.
            if get_format("DECIMAL_SEPARATOR") == ".":
                value = value.replace(",", "")
        return super().to_python(value)


class ProjectForm(StepForm):
    title = forms.CharField(
        label=_("Project title"),
        max_length=200,
        help_text=_("A short name people will recognise, for example: Community kitchen in Joliette."),
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the project does, for whom, and why now. Plain words; 2,000 characters at most."),
    )
    concerted = forms.BooleanField(
        label=_("The project is carried with partners"),
        required=False,
        help_text=_("If ticked, you will name the partners and their role in the next steps."),
    )

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Give your project a title."))
        return title

    def save_kwargs(self, present: set[str]) -> dict:
        kwargs = {
            name: self.cleaned_data[name] for name in ("title", "summary", "concerted") if self.valid(name, present)
        }
        if "summary" in kwargs:
            kwargs["summary"] = kwargs["summary"].strip()
        return {**kwargs, "questions": self.question_values(present)}


class BudgetLineForm(forms.Form):
    label = forms.CharField(
        label=_("Expense"), max_length=200, help_text=_("For example: cook's salary, food, rent of the kitchen.")
    )
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, empty_value=None)
    amount = MoneyField(label=_("Planned amount"))

    def __init__(self, *args, years: int = 1, **kwargs):
        super().__init__(*args, **kwargs)
        # A blank first choice, so an untouched extra row stays empty (and is left out).
        self.fields["year"].choices = [("", "—")] + [(y, _("Year %(year)s") % {"year": y}) for y in range(1, years + 1)]


class CoFundingForm(forms.Form):
    call = forms.TypedChoiceField(label=_("Other call"), coerce=int, empty_value=None)
    amount = MoneyField(label=_("Amount asked of this call"))

    def __init__(self, *args, calls: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.calls = calls or {}
        self.fields["call"].choices = [("", "—")] + [
            (pk, f"{call.title} — {call.fund.name}") for pk, call in self.calls.items()
        ]

    def clean(self):
        cleaned = super().clean()
        call = self.calls.get(cleaned.get("call"))
        amount = cleaned.get("amount")
        if call is not None and amount is not None and not call.min_amount <= amount <= call.max_amount:
            self.add_error(
                "amount",
                _("This call gives between %(min)s and %(max)s.")
                % {"min": format_money(call.min_amount), "max": format_money(call.max_amount)},
            )
        if call is not None:
            cleaned["call"] = call
        return cleaned


def _call_pk(row: dict) -> int | None:
    call = row.get("call")
    return getattr(call, "pk", call) if call not in (None, "") else None


class CoFundingFormSet(RowsFormSet):
    def clean(self):
        # Against the rows kept as saved too: a refused row keeps its saved call.
        self.flag_repeats(_call_pk, "call", _("This call is already in the list."))


BudgetLineFormSet = forms.formset_factory(
    BudgetLineForm, formset=RowsFormSet, extra=2, can_delete=True, max_num=60, validate_max=True
)
CoFundingFormSetClass = forms.formset_factory(
    CoFundingForm, formset=CoFundingFormSet, extra=1, can_delete=True, max_num=10, validate_max=True
)


class BudgetForm(StepForm):
    """One amount per year, up to the call's number of years; the total must fit the call's limits.

    Also, when the call asks for them: the expense budget (lines per year) and the other open
    calls the same application is addressed to (co-funding), with the amount asked of each.
    """

    def __init__(
        self, *args, call: Call, settings=None, cofunding_calls: dict | None = None, partial: bool = False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.call = call
        self.settings = settings
        # Autosave sends only the years the applicant changed: the total counts the others as saved.
        self.partial = partial
        for year in range(1, call.max_years + 1):
            self.fields[f"year_{year}"] = MoneyField(
                label=_("Amount asked for year %(year)s") % {"year": year},
                required=year == 1,
                help_text=_("In dollars.") if year == 1 else _("Leave empty if the project lasts fewer years."),
            )
        # Questions come last on the page; keep the years first in the field order.
        self.order_fields([f"year_{y}" for y in range(1, call.max_years + 1)])
        initial = self.initial or {}
        self.cofunding_calls = cofunding_calls or {}
        if settings is None or settings.budget_lines_enabled:
            self.add_formset(
                "lines", BudgetLineFormSet, initial=initial.get("lines"), form_kwargs={"years": call.max_years}
            )
        if (settings is None or settings.cofunding_enabled) and cofunding_calls is not None:
            self.add_formset(
                "cofunding",
                CoFundingFormSetClass,
                initial=initial.get("cofunding"),
                form_kwargs={"calls": cofunding_calls},
            )

    def formset_label(self, name: str) -> str:
        return {"lines": _("Expense budget"), "cofunding": _("Other funds asked")}[name]

    def amounts(self, values: list | None = None) -> list[Decimal]:
        """Amounts of year 1 up to the last year filled in; a gap in between counts as zero."""
        if values is None:
            values = [self.cleaned_data.get(f"year_{y}") for y in range(1, self.call.max_years + 1)]
        values = list(values)
        while values and values[-1] is None:
            values.pop()
        return [v if v is not None else Decimal("0") for v in values]

    def clean(self):
        cleaned = super().clean()
        names = [f"year_{y}" for y in range(1, self.call.max_years + 1)]
        if self.partial:
            sent = [name for name in names if self.add_prefix(name) in self.data]
            if not sent or any(name in self.errors for name in sent):
                return cleaned
            values = [cleaned.get(name) if name in sent else self.initial.get(name) for name in names]
        elif self.errors:
            return cleaned
        else:
            values = [cleaned.get(name) for name in names]
        total = sum(self.amounts(values), Decimal("0"))
        if not self.call.min_amount <= total <= self.call.max_amount:
            raise forms.ValidationError(
                _("The total asked (%(total)s) must be between %(min)s and %(max)s."),
                code="total_out_of_range",
                params={
                    "total": format_money(total),
                    "min": format_money(self.call.min_amount),
                    "max": format_money(self.call.max_amount),
                },
            )
        return cleaned

    def holds_stale_data(self, present: set[str]) -> bool:
        # Years the call no longer funds are not fields of the form: saving the years drops them.
        sent_years = any(f"year_{y}" in present for y in range(1, self.call.max_years + 1))
        saved_years = {key for key in self.initial if key.startswith("year_")}
        return sent_years and any(int(key[len("year_") :]) > self.call.max_years for key in saved_years)

    def save_kwargs(self, present: set[str]) -> dict:
        kwargs = {"questions": self.question_values(present)}
        years = range(1, self.call.max_years + 1)
        if any(f"year_{y}" in present for y in years):
            # Start from what is saved; a year typed wrong keeps its saved amount.
            merged = {y: self.initial.get(f"year_{y}") for y in years}
            for y in years:
                if self.valid(f"year_{y}", present):
                    merged[y] = self.cleaned_data[f"year_{y}"]
            values = [merged[y] for y in years]
            while values and values[-1] is None:
                values.pop()
            kwargs["amounts"] = [v if v is not None else Decimal("0") for v in values]
        kwargs["lines"] = self.formset_rows("lines", present, partial=True)
        kwargs["cofunding"] = self.formset_rows("cofunding", present, partial=True)
        if kwargs["cofunding"] is not None:
            calls = self.cofunding_calls
            rows = []
            for row in kwargs["cofunding"]:
                call = row.get("call")
                call = calls.get(call) if isinstance(call, int) else call
                if call is not None:
                    rows.append({"call": call, "amount": row["amount"]})
            kwargs["cofunding"] = rows
        return kwargs


class PartnerForm(forms.Form):
    name = forms.CharField(label=_("Partner"), max_length=200, help_text=_("The organisation's name."))
    role = forms.CharField(
        label=_("Role in the project"), max_length=300, help_text=_("What it brings: a place, staff, referrals...")
    )


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("Indicator"), max_length=200, help_text=_("For example: families reached."))
    unit = forms.CharField(label=_("Unit"), max_length=50, help_text=_("For example: families, meals, hours."))
    baseline = safe_fields.DecimalField(
        label=_("Baseline"),
        max_digits=12,
        decimal_places=2,
        required=False,
        localize=True,
        min_value=0,
        help_text=_("Where things stand today."),
    )
    target = safe_fields.DecimalField(
        label=_("Target"),
        max_digits=12,
        decimal_places=2,
        localize=True,
        min_value=0,
        help_text=_("Where you aim to be at the end of the project."),
    )

    def __init__(self, *args, years: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.years = years
        for year in range(1, years + 1):
            self.fields[f"target_{year}"] = safe_fields.DecimalField(
                label=_("Target for year %(year)s") % {"year": year},
                max_digits=12,
                decimal_places=2,
                localize=True,
                min_value=0,
                required=False,
            )

    def target_fields(self):
        return [self[f"target_{y}"] for y in range(1, self.years + 1)]


def _indicator_key(row: dict) -> str | None:
    name = (row.get("name") or "").strip().casefold()
    return name or None


class IndicatorFormSet(RowsFormSet):
    def clean(self):
        # Reports match results to indicators by name: two with the same name would merge. Checked
        # against the rows kept as saved too (a refused row keeps its saved name).
        self.flag_repeats(_indicator_key, "name", _("Another indicator already has this name."))

    def row(self, form) -> dict:
        row = {k: v for k, v in form.cleaned_data.items() if k != "DELETE" and not k.startswith("target_")}
        if form.years:
            row["targets"] = {y: form.cleaned_data.get(f"target_{y}") for y in range(1, form.years + 1)}
        return row

    def row_from_initial(self, form) -> dict:
        row = {k: v for k, v in form.initial.items() if not k.startswith("target_")}
        if form.years:
            row["targets"] = {y: form.initial.get(f"target_{y}") for y in range(1, form.years + 1)}
        return row


PartnerFormSet = forms.formset_factory(
    PartnerForm, formset=RowsFormSet, extra=2, can_delete=True, max_num=30, validate_max=True
)
IndicatorFormSetClass = forms.formset_factory(
    IndicatorForm, formset=IndicatorFormSet, extra=2, can_delete=True, max_num=30, validate_max=True
)


class PartnersForm(StepForm):
    """Partners (only for a project carried with partners) and indicators with their yearly targets."""

    # The rows each of the step's own errors is about (the autosave answer reports them with those rows).
    error_parts = {"no_indicator": "indicators", "no_partner": "partners"}

    def __init__(self, *args, concerted: bool, partners_enabled: bool = True, target_years: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        initial = self.initial or {}
        self.concerted = concerted
        if concerted and partners_enabled:
            self.add_formset("partners", PartnerFormSet, initial=initial.get("partners"))
        self.add_formset(
            "indicators", IndicatorFormSetClass, initial=initial.get("indicators"), form_kwargs={"years": target_years}
        )

    @property
    def partners(self):
        return self.formsets().get("partners")

    @property
    def indicators(self):
        return self.formsets()["indicators"]

    def formset_label(self, name: str) -> str:
        return {"partners": _("Partners"), "indicators": _("Indicators")}[name]

    def clean(self):
        cleaned = super().clean()
        sent = self.sent_formsets()
        if not all(fs.is_valid() for fs in sent.values()):
            return cleaned
        if "indicators" in sent and not self.indicators.rows():
            self.add_error(None, forms.ValidationError(_("Add at least one indicator."), code="no_indicator"))
        if "partners" in sent and not self.partners.rows():
            self.add_error(
                None,
                forms.ValidationError(
                    _("Your project is carried with partners: name at least one partner."), code="no_partner"
                ),
            )
        return cleaned

    def save_kwargs(self, present: set[str]) -> dict:
        kwargs = {"questions": self.question_values(present)}
        if self.partners is not None:
            kwargs["partners"] = self.formset_rows("partners", present, partial=True)
        indicators = self.formset_rows("indicators", present, partial=True)
        if indicators is not None:
            unique, seen = [], set()
            for row in indicators:
                key = row["name"].strip().casefold()
                if key not in seen:  # a duplicate name stays on the page, with its error, until renamed
                    seen.add(key)
                    unique.append(row)
            kwargs["indicators"] = unique
        return kwargs


class SustainabilityForm(StepForm):
    """The pérennité plan and, for each criterion of the call, its checklist (yes/no + justification)."""

    sustainability_plan = forms.CharField(
        label=_("Sustainability (pérennité) plan"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("How will the results last once the funding ends? Other funding, skills kept, partners."),
    )

    def __init__(self, *args, items: list[ChecklistItem], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"item_{item.pk}"] = forms.BooleanField(label=_("Yes"), required=False)
            self.fields[f"justification_{item.pk}"] = forms.CharField(
                label=_("Justification"),
                max_length=500,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("One or two sentences: what shows it in your project."),
            )
        self.order_fields(["sustainability_plan"])

    def clean(self):
        cleaned = super().clean()
        for item in self.items:
            justification = f"justification_{item.pk}"
            if cleaned.get(f"item_{item.pk}") and justification in cleaned and not cleaned[justification].strip():
                self.add_error(justification, _("You ticked this item: justify it in a sentence or two."))
        return cleaned

    def groups(self) -> list[tuple]:
        """[(criterion, [(item, checkbox, justification), ...]), ...] in the rubric's order, for the template."""
        grouped: dict = {}
        for item in self.items:
            grouped.setdefault(item.criterion, []).append(
                (item, self[f"item_{item.pk}"], self[f"justification_{item.pk}"])
            )
        return list(grouped.items())

    def answers(self, present: set[str] | None = None) -> dict[int, tuple[bool, str]]:
        """{item: (ticked, justification)}; a justification that is not valid keeps the saved one."""
        present = set(self.fields) if present is None else present
        answers = {}
        for item in self.items:
            box, text = f"item_{item.pk}", f"justification_{item.pk}"
            if box not in present and text not in present:
                continue
            checked = self.cleaned_data[box] if self.valid(box, present) else bool(self.initial.get(box))
            justification = self.cleaned_data[text].strip() if self.valid(text, present) else self.initial.get(text, "")
            answers[item.pk] = (bool(checked), justification)
        return answers

    def save_kwargs(self, present: set[str]) -> dict:
        kwargs = {"questions": self.question_values(present), "answers": self.answers(present)}
        if self.valid("sustainability_plan", present):
            kwargs["sustainability_plan"] = self.cleaned_data["sustainability_plan"].strip()
        return kwargs


class AttachmentsForm(StepForm):
    """The attachments step: files are added and removed by their own requests; nothing else to fill."""

    def save_kwargs(self, present: set[str]) -> dict:
        return {}


class AttachmentUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word, Excel, OpenDocument text, PNG or JPEG image, or plain text."),
    )
    description = forms.CharField(
        label=_("What this file is"),
        max_length=200,
        required=False,
        help_text=_("For example: letter of support from the CISSS."),
    )


class SummaryForm(StepForm):
    """The recap step has nothing to fill in; submission posts to forms:submit."""

    def save_kwargs(self, present: set[str]) -> dict:
        return {}


class SupportForm(forms.Form):
    message = forms.CharField(
        label=_("What would you like help with?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CreateForm(forms.Form):
    organisation = forms.IntegerField(required=False)
