"""Forms of the follow-up task pages. They validate input only; the services do the writing."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import get_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from config import fields as safe_fields

from .attachments import validate_attachment
from .followup import PROJECT_LINE, TrancheSpec
from .indicators import is_off_target


class LocalDecimalField(safe_fields.DecimalField):
    """A number typed the Québec way ("20 000,50 $") or the English way ("$20,000.50")."""

    def to_python(self, value):
        if isinstance(value, str):
            value = "".join(value.replace("$", "").split()).replace("\u202f", "")
            # In English the comma groups thousands ("20,000.50"); in French it is the decimal mark.
            if get_format("DECIMAL_SEPARATOR") == ".":
                value = value.replace(",", "")
        return super().to_python(value)


def _amount_field(*, label, required: bool, min_value=Decimal("0")) -> safe_fields.DecimalField:
    return LocalDecimalField(
        label=label,
        required=required,
        min_value=min_value,
        max_digits=12,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={"invalid": _("Enter an amount in dollars, for example 12500.")},
    )


def _date_field(*, label, required: bool, help_text="") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date, for example 2026-03-31.")},
    )


class AgreementForm(forms.Form):
    """Approved amount, report due date per funded year; payment tranches; conditions; signature date.

    Blank years at the end are not funded. Blank due dates fall on each anniversary
    of the signature. With no tranche filled in, each year's amount is paid at the
    start of the year: year 1 at signature, the next ones once the previous report is approved.
    """

    signed_on = _date_field(label=_("Signature date"), required=True)
    conditions = forms.CharField(
        label=_("Conditions"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, max_years: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_years = max_years
        self.max_tranches = max_years + 2
        after = [("", gettext("At signature"))] + [
            (str(y), gettext("Once the report of year %(year)d is approved") % {"year": y})
            for y in range(1, max_years + 1)
        ]
        for year in range(1, max_years + 1):
            self.fields[f"amount_{year}"] = _amount_field(
                label=gettext("Year %(year)d") % {"year": year}, required=year == 1
            )
            self.fields[f"due_{year}"] = _date_field(
                label=gettext("Report of year %(year)d due on") % {"year": year}, required=False
            )
        for n in range(1, self.max_tranches + 1):
            self.fields[f"tranche_{n}_amount"] = _amount_field(
                label=gettext("Tranche %(n)d: amount") % {"n": n}, required=False, min_value=Decimal("0.01")
            )
            self.fields[f"tranche_{n}_planned_on"] = _date_field(
                label=gettext("Tranche %(n)d: planned payment date") % {"n": n}, required=False
            )
            self.fields[f"tranche_{n}_after"] = forms.ChoiceField(
                label=gettext("Tranche %(n)d: released") % {"n": n}, choices=after, required=False
            )

    def amount_fields(self):
        return [self[f"amount_{year}"] for year in range(1, self.max_years + 1)]

    def year_rows(self):
        return [(year, self[f"amount_{year}"], self[f"due_{year}"]) for year in range(1, self.max_years + 1)]

    def tranche_rows(self):
        return [
            (n, self[f"tranche_{n}_amount"], self[f"tranche_{n}_planned_on"], self[f"tranche_{n}_after"])
            for n in range(1, self.max_tranches + 1)
        ]

    def clean(self):
        data = super().clean()
        years = range(1, self.max_years + 1)
        if any(f"amount_{year}" in self.errors for year in years):
            return data
        amounts = [data.get(f"amount_{year}") for year in years]
        while amounts and amounts[-1] is None:
            amounts.pop()
        if None in amounts:
            self.add_error(None, _("Fill every year from year 1 to the last funded year."))
            return data
        if not amounts or sum(amounts) <= 0:
            self.add_error("amount_1", _("Enter the amount of at least one year."))
            return data
        data["amounts"] = amounts
        data["due_dates"] = self._due_dates(data, len(amounts))
        data["tranches"] = self._tranches(data, len(amounts), sum(amounts))
        return data

    def _due_dates(self, data, funded: int):
        given = [data.get(f"due_{year}") for year in range(1, funded + 1)]
        if not any(given):
            return None
        if None in given:
            self.add_error(None, _("Give the report due date of every funded year, or leave them all blank."))
            return None
        signed_on = data.get("signed_on")
        for year, due in enumerate(given, 1):
            if signed_on and due <= signed_on:
                self.add_error(f"due_{year}", _("A report is due after the signature."))
            elif year > 1 and due <= given[year - 2]:
                self.add_error(f"due_{year}", _("Each report is due after the previous one."))
        return given

    def _tranches(self, data, funded: int, total: Decimal):
        tranches = []
        for n in range(1, self.max_tranches + 1):
            amount, planned_on = data.get(f"tranche_{n}_amount"), data.get(f"tranche_{n}_planned_on")
            after = data.get(f"tranche_{n}_after") or ""
            if amount is None and planned_on is None and not after:
                continue
            if amount is None:
                self.add_error(f"tranche_{n}_amount", _("Enter the tranche's amount."))
                continue
            if planned_on is None:
                self.add_error(f"tranche_{n}_planned_on", _("Enter the tranche's planned payment date."))
                continue
            if after and int(after) > funded:
                self.add_error(f"tranche_{n}_after", _("This year is not funded."))
                continue
            tranches.append(
                TrancheSpec(amount=amount, planned_on=planned_on, after_report_year=int(after) if after else None)
            )
        if tranches and sum(t.amount for t in tranches) != total:
            self.add_error(
                None,
                _("The tranches add up to %(sum)s $ but the agreement is %(total)s $: they must be equal.")
                % {"sum": sum(t.amount for t in tranches), "total": total},
            )
        return tranches or None


class ReportForm(forms.Form):
    """The yearly (or final) report: narrative, indicators, spending, pérennité, attachments."""

    narrative = forms.CharField(
        label=_("What happened this year"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6})
    )
    sustainability_update = forms.CharField(
        label=_("Sustainability (pérennité) update"),
        help_text=_("What changed in your plan to make the project last? Start from your last update."),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    lessons = forms.CharField(
        label=_("Results and lessons learnt"),
        help_text=_("The whole project: what it changed, what you would do differently, what happens next."),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    attachment = forms.FileField(
        label=_("Add a file (optional)"),
        help_text=_("PDF, image, Word, Excel, OpenDocument or text file."),
        required=False,
    )

    def __init__(self, *args, indicators, year: int = 1, targets=None, is_final=False, plan=(), existing=(), **kw):
        super().__init__(*args, **kw)
        self.indicators = list(indicators)
        self.year = year
        self.targets = targets or {}
        self.is_final = is_final
        self.plan = list(plan)
        self.existing = list(existing)
        if not is_final:
            del self.fields["lessons"]
        else:
            self.fields["lessons"].required = True
            self.fields["lessons"].error_messages["required"] = _("The final report needs its results and lessons.")
        for indicator in self.indicators:
            self.fields[f"actual_{indicator.pk}"] = LocalDecimalField(
                label=gettext("Actual value of “%(indicator)s”") % {"indicator": indicator.name},
                max_digits=12,
                decimal_places=2,
                localize=True,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
                error_messages={"required": _("Enter the value reached this year."), "invalid": _("Enter a number.")},
            )
            self.fields[f"comment_{indicator.pk}"] = forms.CharField(
                label=gettext("Comment on “%(indicator)s”") % {"indicator": indicator.name},
                help_text=_("Required when the value is off target: explain the gap."),
                required=False,
                max_length=500,
            )
        for line in self.plan:
            label = line.label or gettext("Project")
            self.fields[f"spent_{line.key}"] = _amount_field(
                label=gettext("Spent on “%(line)s”") % {"line": label}, required=False
            )
        for attachment in self.existing:
            self.fields[f"remove_{attachment.pk}"] = forms.BooleanField(
                label=gettext("Remove “%(name)s”") % {"name": attachment.name}, required=False
            )

    def target_of(self, indicator) -> Decimal:
        return self.targets.get((indicator.pk, self.year), indicator.target)

    def rows(self):
        return [(i, self[f"actual_{i.pk}"], self[f"comment_{i.pk}"], self.target_of(i)) for i in self.indicators]

    def spending_rows(self):
        return [(line, self[f"spent_{line.key}"]) for line in self.plan]

    def existing_rows(self):
        return [(a, self[f"remove_{a.pk}"]) for a in self.existing]

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            validate_attachment(upload)
        return upload

    def clean(self):
        data = super().clean()
        for indicator in self.indicators:
            actual = data.get(f"actual_{indicator.pk}")
            comment = (data.get(f"comment_{indicator.pk}") or "").strip()
            if actual is None or comment:
                continue
            if is_off_target(actual=actual, target=self.target_of(indicator), baseline=indicator.baseline):
                self.add_error(
                    f"comment_{indicator.pk}",
                    ValidationError(_("This value is off target: explain the gap in a comment."), code="off_target"),
                )
        return data

    def results(self) -> dict[int, tuple[Decimal, str]]:
        return {
            i.pk: (self.cleaned_data[f"actual_{i.pk}"], self.cleaned_data[f"comment_{i.pk}"]) for i in self.indicators
        }

    def spending(self) -> dict[str, Decimal | None]:
        return {line.key: self.cleaned_data.get(f"spent_{line.key}") for line in self.plan}

    def removed(self) -> list[int]:
        return [a.pk for a in self.existing if self.cleaned_data.get(f"remove_{a.pk}")]


class ReviewForm(forms.Form):
    """Approve, or send back with comments (required then)."""

    comments = forms.CharField(
        label=_("Comments to the organisation"),
        help_text=_("Required to send the report back: say what to correct or complete."),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("send_back", _("Send back"))], required=False)

    def clean(self):
        data = super().clean()
        # The primary button approves; a form posted without a button (keyboard, scripts) approves too.
        data["approve"] = data.get("decision") != "send_back"
        if not data["approve"] and not (data.get("comments") or "").strip():
            self.add_error("comments", _("Say what to correct before sending the report back."))
        return data


PROJECT = PROJECT_LINE
