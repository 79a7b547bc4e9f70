"""Partial saves and edit conflicts for the wizard's step forms.

A step form is validated as a whole (to decide whether the applicant may go on), but what is
saved is every part that is valid on its own: a bad amount never throws away a good summary.
On autosave only the parts the browser sent are considered ("present"); a part left out is
never touched.
"""

from decimal import Decimal

from django import forms
from django.utils.formats import localize_input
from django.utils.translation import gettext_lazy as _


def display(value) -> str:
    """A value as a person reads it in a field (localised numbers, Yes/No)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, (Decimal, float, int)):
        return str(localize_input(value))
    return str(value)


class RowsFormSet(forms.BaseFormSet):
    """A formset of rows (partners, indicators, budget lines, co-funding).

    `rows()` gives the valid rows; a row that is invalid keeps what the database held for it,
    so a half-typed row never erases the saved one.
    """

    def initial_form_count(self) -> int:
        # A row the database already holds is an initial row whatever the page's INITIAL_FORMS says:
        # a row autosaved after the page was built still says "extra" there, and an extra row left
        # as saved would count as empty and be dropped by the next save.
        count = super().initial_form_count()
        if self.is_bound:
            count = max(count, min(len(self.initial or []), self.total_form_count()))
        return count

    def row(self, form) -> dict:
        return {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}

    def rows(self, *, partial: bool = False) -> list[dict]:
        rows = []
        for form in self.forms:
            deleted = self.can_delete and self._should_delete_form(form)
            if form.is_valid():
                if form.cleaned_data and not deleted:
                    rows.append(self.row(form))
            elif partial and not deleted and form.initial:
                rows.append(self.row_from_initial(form))
        return rows

    def row_from_initial(self, form) -> dict:
        return dict(form.initial)

    def flag_repeats(self, key, field: str, message) -> None:
        """Give every valid row whose key(row) repeats a row kept before it an error on `field`.

        A flagged row is then a refused row: like any refused row it keeps what the database held
        for it (see `rows`), and the save keeps the first of two rows with the same key."""
        seen = set()
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                continue
            if form.is_valid() and form.cleaned_data:
                value = key(self.row(form))
                if value is None or value not in seen:
                    seen.add(value)
                    continue
                form.add_error(field, message)
            if form.initial:
                seen.add(key(self.row_from_initial(form)))

    def as_text(self, source: str) -> str:
        """The rows, one per line, as typed ("yours") or as saved ("theirs")."""
        lines = []
        if source == "theirs":
            for initial in self.initial or []:
                lines.append(
                    " — ".join(display(initial.get(name)) for name in self.form.base_fields if name in initial)
                )
            return "\n".join(lines)
        for form in self.forms:
            values = [
                str(form[name].value() or "")
                for name in form.fields
                if name != "DELETE" and not isinstance(form.fields[name], forms.BooleanField)
            ]
            deleted = bool(form["DELETE"].value()) if self.can_delete else False
            if any(v.strip() for v in values) and not deleted:
                lines.append(" — ".join(values))
        return "\n".join(lines)


def _has_crlf(data) -> bool:
    return any(isinstance(v, str) and "\r\n" in v for _key, values in data.lists() for v in values)


class StepForm(forms.Form):
    """Base of the wizard's step forms: the call's questions for the step, formsets, partial saves."""

    def __init__(self, *args, questions=(), **kwargs):
        data = kwargs.get("data")
        if data is not None and hasattr(data, "lists") and _has_crlf(data):
            # Browsers send a textarea's line breaks as CRLF: count and store them as one character,
            # as the counter in the page does.
            normalised = data.copy()
            for key, values in data.lists():
                normalised.setlist(key, [v.replace("\r\n", "\n") if isinstance(v, str) else v for v in values])
            kwargs["data"] = normalised
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[f"question_{question.pk}"] = forms.CharField(
                label=question.label,
                help_text=question.help_text,
                max_length=question.max_length,
                required=False,
                widget=forms.Textarea(attrs={"rows": 4 if question.max_length > 300 else 2}),
            )

    def question_fields(self) -> list:
        return [self[f"question_{q.pk}"] for q in self.questions]

    def own_fields(self) -> list:
        """The step's own fields (questions left out: they come at the end of the page)."""
        return [bf for bf in self if not bf.name.startswith("question_")]

    # -- formsets (subclasses add them with add_formset)

    def add_formset(self, name: str, formset_class, **kwargs) -> RowsFormSet:
        """A formset bound to the request only when the request carries it (its management form);
        a step POST without it leaves those rows as they are."""
        if not hasattr(self, "_formsets"):
            self._formsets = {}
        prefix = self.add_prefix(name)
        sent = self.is_bound and f"{prefix}-TOTAL_FORMS" in self.data
        self._formsets[name] = formset_class(self.data if sent else None, prefix=prefix, **kwargs)
        return self._formsets[name]

    def formsets(self) -> dict[str, RowsFormSet]:
        return getattr(self, "_formsets", {})

    def sent_formsets(self) -> dict[str, RowsFormSet]:
        return {name: fs for name, fs in self.formsets().items() if fs.is_bound}

    def is_valid(self) -> bool:
        # Validate every formset even when the form fails, so every error shows at once.
        formsets_valid = all([fs.is_valid() for fs in self.sent_formsets().values()])
        return super().is_valid() and formsets_valid

    # -- partial saves

    def present(self, *, partial: bool) -> set[str]:
        """Names of the fields and formsets the request carries; for a full step POST, every checkbox too."""
        sent = {n for n in self.fields if self.add_prefix(n) in self.data} | set(self.sent_formsets())
        if partial:
            return sent
        # A browser leaves an unticked box out of a form it sends.
        return sent | {n for n, f in self.fields.items() if isinstance(f, forms.BooleanField)}

    def valid(self, name: str, present: set[str]) -> bool:
        self.errors  # noqa: B018  (runs full_clean once)
        return name in present and name in self.cleaned_data

    def question_values(self, present: set[str]) -> dict[int, str]:
        return {
            q.pk: self.cleaned_data[f"question_{q.pk}"].strip()
            for q in self.questions
            if self.valid(f"question_{q.pk}", present)
        }

    def save_kwargs(self, present: set[str]) -> dict:
        """Keyword arguments for the step's service: valid present parts only (None = untouched)."""
        raise NotImplementedError

    def formset_rows(self, name: str, present: set[str], *, partial: bool) -> list[dict] | None:
        formset = self.formsets().get(name)
        if formset is None or name not in present or not formset.is_bound:
            return None
        formset.is_valid()
        if formset.non_form_errors():
            return None  # too many rows: keep the saved ones
        return formset.rows(partial=partial)

    def field_errors(self, present: set[str]) -> dict[str, list[str]]:
        """{html name: [messages]} of the present fields and rows, for the autosave answer."""
        errors = {}
        for name, messages in self.errors.items():
            if name != "__all__" and name in present:
                errors[self.add_prefix(name)] = [str(m) for m in messages]
        for name, formset in self.sent_formsets().items():
            if name not in present:
                continue
            formset.is_valid()
            for form in formset.forms:
                for name, messages in form.errors.items():
                    errors[form.add_prefix(name)] = [str(m) for m in messages]
        return errors

    def general_errors(self) -> list[str]:
        messages = [str(m) for m in self.non_field_errors()]
        for formset in self.sent_formsets().values():
            messages += [str(m) for m in formset.non_form_errors()]
        return messages

    def holds_stale_data(self, present: set[str]) -> bool:
        """Whether saving the present parts as typed would drop something the step can no longer show
        (e.g. budget years beyond a call's shortened duration), so the save must go through unchanged."""
        return False

    # -- conflicts

    def conflicts(self, present: set[str]) -> list[dict]:
        """Present parts whose typed value differs from what the database now holds."""
        found = []
        for name in sorted(present & set(self.fields), key=list(self.fields).index):
            field = self.fields[name]
            initial = self.get_initial_for_field(field, name)
            typed = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            if field.has_changed(initial, typed):
                found.append(
                    {
                        "name": self.add_prefix(name),
                        "label": str(field.label),
                        "yours": display(typed) if not isinstance(field, forms.BooleanField) else display(bool(typed)),
                        "theirs": display(initial),
                        "theirs_raw": ("on" if initial else "")
                        if isinstance(field, forms.BooleanField)
                        else display(field.prepare_value(initial)),
                        "rows": False,
                    }
                )
        for name, formset in self.sent_formsets().items():
            if name in present:
                yours, theirs = formset.as_text("yours"), formset.as_text("theirs")
                if yours.strip() != theirs.strip():
                    found.append(
                        {
                            "name": formset.prefix,
                            "label": str(self.formset_label(name)),
                            "yours": yours,
                            "theirs": theirs,
                            "rows": True,
                        }
                    )
        return found

    def formset_label(self, name: str) -> str:
        return name
