"""Forms of the organisation pages: profile, contact people, invitations."""

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from config import fields as safe_fields

from .forms import NewAccountForm
from .models import Contact, Mrc, Organisation, Population
from .validators import normalise_neq, normalise_postal_code, validate_neq


def mrc_groups(mrcs: list[Mrc], chosen: set[str]) -> list[tuple[str, list[tuple[str, str, bool]]]]:
    """(region name, [(MRC code, MRC name, checked)]) for grouped checkboxes (one fieldset per region)."""
    groups: dict[str, list] = {}
    for mrc in mrcs:
        groups.setdefault(mrc.region.name, []).append((mrc.code, mrc.name, mrc.code in chosen))
    return list(groups.items())


MISSION_MAX = 3000


class OrganisationForm(forms.ModelForm):
    # Longer than the stored 10 digits: people type spaces or dashes, which clean_neq removes.
    neq = forms.CharField(
        label=_("Québec enterprise number (NEQ)"),
        max_length=20,
        help_text=_("10 digits, as on your documents from the Registraire des entreprises."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    mrcs_served = safe_fields.ModelMultipleChoiceField(
        label=_("Territory served (MRC)"),
        queryset=Mrc.objects.select_related("region").order_by("region__code", "name"),
        to_field_name="code",
        required=False,
        help_text=_("Every MRC where you offer services. Leave empty if you serve only your head office's MRC."),
    )
    populations = safe_fields.ModelMultipleChoiceField(
        label=_("Populations served"),
        queryset=Population.objects.all(),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "neq",
            "legal_form",
            "mission",
            "street_address",
            "city",
            "postal_code",
            "mrc",
            "mrcs_served",
            "annual_budget",
            "populations",
        ]
        labels = {"mrc": _("MRC of the head office")}
        help_texts = {
            "mission": _("In a few sentences, in your own words: whom you serve and how."),
            "annual_budget": _("Total revenue of your last financial year, in dollars."),
        }
        widgets = {
            "mission": forms.Textarea(attrs={"rows": 4, "maxlength": MISSION_MAX}),
            "street_address": forms.TextInput(attrs={"autocomplete": "street-address"}),
            "city": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "postal_code": forms.TextInput(attrs={"autocomplete": "postal-code"}),
            "annual_budget": forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mrc"].queryset = Mrc.objects.select_related("region").order_by("region__code", "name")
        self.fields["mrc"].empty_label = _("Choose an MRC")
        self.fields["mission"].required = True
        # The browser stops at 3,000 characters; the server says so too (a tampered form gets the message).
        self.fields["mission"].max_length = MISSION_MAX
        self.fields["mission"].validators.append(MaxLengthValidator(MISSION_MAX))
        if self.instance.pk and not self.is_bound:
            self.initial["mrcs_served"] = [m.code for m in self.instance.mrcs_served.all()]
            self.initial["populations"] = [p.code for p in self.instance.populations.all()]

    def clean_neq(self) -> str:
        neq = normalise_neq(self.cleaned_data.get("neq", ""))
        validate_neq(neq)
        return neq

    def clean_postal_code(self) -> str:
        return normalise_postal_code(self.cleaned_data.get("postal_code", ""))

    def _post_clean(self):
        # The model's own validators run in the service (full_clean); here only the form's fields.
        pass

    def mrc_groups(self):
        if self.is_bound:
            chosen = set(self.data.getlist(self.add_prefix("mrcs_served")))
        else:
            chosen = set(self.initial.get("mrcs_served") or [])
        return mrc_groups(list(self.fields["mrcs_served"].queryset), chosen)

    def profile_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["mrcs_served"] = list(data.get("mrcs_served") or [])
        data["populations"] = list(data.get("populations") or [])
        return data


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "role", "email", "phone"]
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "off"}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
        }


ContactFormSet = forms.formset_factory(ContactForm, extra=1, can_delete=True, max_num=10, validate_max=True)


def contacts_from(formset) -> list[dict]:
    """The filled, not deleted contact forms of a valid formset, in order."""
    return [
        {k: form.cleaned_data.get(k, "") for k in ("name", "role", "email", "phone")}
        for form in formset.forms
        if form.has_changed() and form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of the person"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    is_admin = forms.BooleanField(
        label=_("Administrator of the organisation"),
        required=False,
        help_text=_("Administrators edit the profile and invite or remove members."),
    )
    language = forms.ChoiceField(label=_("Language of the invitation e-mail"), choices=settings.LANGUAGES)

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class InvitationSignupForm(NewAccountForm):
    """The account of an invited person: the address is the invited one, so no confirmation e-mail is needed."""

    def __init__(self, *args, email: str, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def account_email(self) -> str:
        return self.email
