"""The wizard's steps for one application: which steps the call asks, their forms, how each is saved.

Shared by the wizard pages (forms.wizard) and the autosave endpoint (forms.autosave), so both
validate and save a step in exactly the same way.
"""

from dataclasses import dataclass, field

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from fonds.models import ChecklistItem

from . import services
from .forms import AttachmentsForm, BudgetForm, PartnersForm, ProjectForm, SummaryForm, SustainabilityForm
from .models import Application, CallQuestion, form_settings
from .partial import display
from .selectors import cofunding_calls

ALL_STEPS = [
    ("project", ProjectForm),
    ("budget", BudgetForm),
    ("partners", PartnersForm),
    ("sustainability", SustainabilityForm),
    ("attachments", AttachmentsForm),
    ("summary", SummaryForm),
]
STEP_TITLES = {
    "project": _("Project"),
    "budget": _("Budget"),
    "partners": _("Partners and indicators"),
    "sustainability": _("Sustainability and criteria"),
    "attachments": _("Attachments"),
    "summary": _("Summary and submission"),
}
SERVICES = {
    "project": services.application_save_project,
    "budget": services.application_save_budget,
    "partners": services.application_save_partners,
    "sustainability": services.application_save_sustainability,
}


def step_title(application: Application, step: str) -> str:
    if step == "partners" and not (application.concerted and form_settings(application.call).partners_enabled):
        return str(_("Indicators"))
    return str(STEP_TITLES[step])


def step_enabled(application: Application, step: str) -> bool:
    if step == "attachments":
        return form_settings(application.call).attachments_enabled
    return True


def step_names(application: Application) -> list[str]:
    return [name for name, _form in ALL_STEPS if step_enabled(application, name)]


def time_of(moment) -> str:
    return formats.time_format(timezone.localtime(moment), "TIME_FORMAT")


def _sends(parts: set[str] | None, prefix: str) -> bool:
    return parts is None or any(part.startswith(prefix) for part in parts)


@dataclass
class SaveResult:
    application: Application
    saved: bool = False  # something was written
    # {saved_by, saved_at, version, fields, theirs} when another member saved meanwhile (see conflict_of)
    conflict: dict | None = None
    errors: dict = field(default_factory=dict)  # {html name: [messages]} of the parts sent
    general_errors: dict = field(default_factory=dict)  # {part: [messages]}, see general_errors
    # The version the caller's page is now in step with: the one it sent while the step holds a
    # save it has not seen, so that its next save is checked against that save.
    version: int | None = None


def page_value(bound) -> str:
    """A field's value as the page holds it (what its input, select or checkbox gives the script)."""
    value = bound.value()
    if isinstance(bound.field, forms.BooleanField):
        return "on" if value else ""
    if isinstance(bound.field, forms.ChoiceField):
        return "" if value is None else str(value)
    shown = bound.field.widget.format_value(value)
    return "" if shown is None else str(shown)


def _shown(bound) -> str:
    """A field's value as a person reads it (the choice's label for a list)."""
    value = page_value(bound)
    if isinstance(bound.field, forms.BooleanField):
        return display(bool(value))
    if isinstance(bound.field, forms.ChoiceField):
        return str(dict((str(k), v) for k, v in bound.field.choices).get(value, value)) if value else ""
    return value


def saved_parts(form) -> list[dict]:
    """Every part of a step as saved, for the conflict panel: `form` is the step's unbound form.

    Fields: {name, label, theirs (as read), theirs_raw (as the page holds it), rows: False};
    row sets: {name (the formset's prefix), label, theirs (a line per row), rows: True,
    fields: [row field names], values: [[page values of a row]]}, saved rows only."""
    parts = []
    for name in form.fields:
        bound = form[name]
        parts.append(
            {
                "name": bound.html_name,
                "label": str(bound.label),
                "theirs": _shown(bound),
                "theirs_raw": page_value(bound),
                "rows": False,
            }
        )
    for name, formset in form.formsets().items():
        fields = [n for n in formset.empty_form.fields if n != "DELETE"]
        rows = formset.forms[: len(formset.initial or [])]
        parts.append(
            {
                "name": formset.prefix,
                "label": str(form.formset_label(name)),
                "theirs": "\n".join(" — ".join(v for v in (_shown(row[n]) for n in fields) if v) for row in rows),
                "rows": True,
                "fields": fields,
                "values": [[page_value(row[n]) for n in fields] for row in rows],
            }
        )
    return parts


def general_errors(form, present: set[str]) -> dict[str, list[str]]:
    """{part: [messages]} of the errors that are not about one field, for each part the request
    carried (an empty list: checked, nothing wrong). A part is a row set (its formset's prefix:
    too many rows, two indicators with the same name...) or the step itself (its form's prefix:
    the budget's total)."""
    formsets = form.formsets()
    parts: dict[str, list[str]] = {}
    for name in present:
        if name in formsets:
            parts[formsets[name].prefix] = [str(m) for m in formsets[name].non_form_errors()]
        elif not name.startswith("question_"):
            parts.setdefault(form.prefix, [])
    for error in form.non_field_errors().as_data():
        about = getattr(form, "error_parts", {}).get(error.code)
        part = formsets[about].prefix if about in formsets else form.prefix
        parts.setdefault(part, []).extend(str(m) for m in error.messages)
    return parts


def sent_parts(step: str, data) -> set[str]:
    """The step's fields and formsets a request carries: "title", "year_2", "lines", "question_7"..."""
    own = f"{step}-"
    return {key[len(own) :].split("-", 1)[0] for key in data if key.startswith(own)}


class StepForms:
    """Builds and saves the step forms of one application.

    `read`: how the caller read the application (forms.services.Read); by default saves read
    the row again. forms.autosave passes how it read it, so saves do not read it again.
    """

    def __init__(self, application: Application, *, read: services.Read = services.Read.AGAIN):
        self.application = application
        self.read = read
        self.settings = form_settings(application.call)
        self._questions = None
        self._items = None

    def questions(self, step: str) -> list[CallQuestion]:
        if self._questions is None:
            self._questions = list(CallQuestion.objects.filter(call_id=self.application.call_id))
        return [q for q in self._questions if q.step == step]

    def checklist_items(self) -> list[ChecklistItem]:
        if self._items is None:
            self._items = list(
                ChecklistItem.objects.filter(criterion__call=self.application.call)
                .select_related("criterion")
                .order_by("criterion__position", "criterion__pk", "position", "pk")
            )
        return self._items

    def form_class(self, step: str):
        return dict(ALL_STEPS)[step]

    def kwargs(self, step: str, parts: set[str] | None = None) -> dict:
        """The form's arguments; with `parts` (see sent_parts), only what those parts need:
        a part the request does not carry is neither validated nor saved, so it needs no query."""
        application, settings = self.application, self.settings
        kwargs = {"questions": self.questions(step) if _sends(parts, "question_") else []}
        if step == "budget":
            calls = None
            if settings.cofunding_enabled and (parts is None or "cofunding" in parts):
                calls = cofunding_calls(application=application)
            kwargs.update(call=application.call, settings=settings, cofunding_calls=calls)
            kwargs["partial"] = parts is not None
        elif step == "partners":
            kwargs.update(
                concerted=application.concerted,
                partners_enabled=settings.partners_enabled,
                target_years=application.call.max_years if settings.yearly_targets_enabled else 0,
            )
        elif step == "sustainability":
            items = _sends(parts, "item_") or _sends(parts, "justification_")
            kwargs.update(items=self.checklist_items() if items else [])
        return kwargs

    def initial(self, step: str, parts: set[str] | None = None) -> dict:
        """What the database holds for the step, as the form's initial values (with `parts`, for those only)."""
        application = self.application
        initial: dict = {}
        if step == "project":
            initial = {"title": application.title, "summary": application.summary, "concerted": application.concerted}
        elif step == "budget":
            if _sends(parts, "year_"):
                initial = {f"year_{y.year}": y.amount for y in services.budget_years(application)}
            if parts is None or "lines" in parts:
                initial["lines"] = [
                    {"label": line.label, "year": line.year, "amount": line.amount}
                    for line in application.budget_lines.all()
                ]
            if parts is None or "cofunding" in parts:
                initial["cofunding"] = [
                    {"call": c.call_id, "amount": c.amount} for c in application.cofunding_requests.all()
                ]
        elif step == "partners":
            if parts is None or "partners" in parts:
                initial["partners"] = [{"name": p.name, "role": p.role} for p in application.partners.all()]
            if parts is None or "indicators" in parts:
                initial["indicators"] = [
                    {
                        "name": i.name,
                        "unit": i.unit,
                        "baseline": i.baseline,
                        "target": i.target,
                        **{f"target_{t.year}": t.value for t in i.targets.all()},
                    }
                    for i in application.indicators.prefetch_related("targets")
                ]
        elif step == "sustainability":
            initial = {"sustainability_plan": application.sustainability_plan}
            if _sends(parts, "item_") or _sends(parts, "justification_"):
                for answer in application.checklist_answers.all():
                    initial[f"item_{answer.item_id}"] = answer.checked
                    initial[f"justification_{answer.item_id}"] = answer.justification
        questions = self.questions(step) if _sends(parts, "question_") else []
        if questions:
            texts = dict(application.question_answers.filter(question__in=questions).values_list("question_id", "text"))
            for question in questions:
                initial[f"question_{question.pk}"] = texts.get(question.pk, "")
        return initial

    def build(self, step: str, data=None, files=None, *, only_sent: bool = False):
        """The step's form; `only_sent` (autosave) builds only the parts `data` carries."""
        parts = sent_parts(step, data) if only_sent and data is not None else None
        return self.form_class(step)(
            data=data, files=files, prefix=step, initial=self.initial(step, parts), **self.kwargs(step, parts)
        )

    def save(self, step: str, form, *, partial: bool, by: User, expected_version: int | None) -> SaveResult:
        """Save the valid parts of `form`; report a conflict instead when another member changed them meanwhile."""
        service = SERVICES.get(step)
        present = form.present(partial=partial)
        form.is_valid()
        errors = form.field_errors(present)
        general = general_errors(form, present)
        changes = form.conflicts(present) if service else []
        stale = service is not None and form.holds_stale_data(present)
        if service is None or (not changes and not stale and step not in self.application.copied_steps):
            return SaveResult(
                self.application,
                errors=errors,
                general_errors=general,
                version=self._unchanged_version(step, expected_version),
            )
        kwargs = form.save_kwargs(present)
        try:
            application = service(
                application=self.application, by=by, expected_version=expected_version, read=self.read, **kwargs
            )
        except services.VersionConflict as exc:
            return SaveResult(
                exc.application,
                errors=errors,
                general_errors=general,
                conflict=self.conflict_of(step, exc, changes),
                version=expected_version,
            )
        self.application = application
        return SaveResult(application, saved=True, errors=errors, general_errors=general, version=application.version)

    def _unchanged_version(self, step: str, expected_version: int | None) -> int:
        """Nothing written: the page keeps the version it sent when the step holds a save it has not seen."""
        application = self.application
        if expected_version is not None and services.step_saved_since(application, step=step, version=expected_version):
            return expected_version
        return application.version

    def conflict_of(self, step: str, exc: services.VersionConflict, changes: list[dict]) -> dict:
        """The conflict as the pages and the autosave answer show it: who saved the step and when,
        the parts sent that differ from what is saved (`fields`), and every part of the step as
        saved (`theirs`, see saved_parts), so the page can show every difference and bring the
        parts the applicant did not touch up to date."""
        saved = exc.saved
        return {
            "version": exc.application.version,
            "saved_by": saved.saved_by.get_full_name() if saved.saved_by else "",
            "saved_at": time_of(saved.saved_at),
            "fields": changes,
            "theirs": saved_parts(StepForms(exc.application).build(step)),
        }
