"""Organisation pages: profile, members, invitations. Thin views over accounts.services."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import selectors, services
from .invitations import invitation_from_token
from .models import Invitation, Membership, Organisation, User
from .organisation_forms import ContactFormSet, InvitationForm, InvitationSignupForm, OrganisationForm, contacts_from
from .permissions import can_create_organisation, can_manage_organisation, can_view_organisation
from .views import _use_language


def get_organisation_for(user: User, pk: int, *, manage: bool = False) -> Organisation:
    """The organisation if `user` may see it (404 otherwise); with manage=True, 403 unless they administer it."""
    organisation = get_object_or_404(Organisation.objects.select_related("mrc__region"), pk=pk)
    if not can_view_organisation(user, organisation):
        raise Http404
    if manage and not can_manage_organisation(user, organisation):
        raise PermissionDenied
    return organisation


def _contacts_initial(organisation: Organisation | None) -> list[dict]:
    if organisation is None:
        return []
    return [
        {"name": c.name, "role": c.role, "email": c.email, "phone": c.phone}
        for c in organisation.contacts.order_by("position", "pk")
    ]


def _save_profile(request, form, formset, *, organisation: Organisation | None):
    """Call the service; turn its refusals into form errors. Returns the organisation or None."""
    try:
        if organisation is None:
            return services.organisation_create(
                by=request.user, contacts=contacts_from(formset), **form.profile_fields()
            )
        return services.organisation_update(
            organisation=organisation, by=request.user, contacts=contacts_from(formset), **form.profile_fields()
        )
    except services.NeqTaken:
        form.add_error(
            "neq",
            _("An organisation with this NEQ is already registered on Guichet. Ask its administrator to invite you."),
        )
    except ValidationError as error:
        form.add_error(None, error)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    if not can_create_organisation(request.user):
        raise PermissionDenied
    form = OrganisationForm(request.POST or None)
    formset = ContactFormSet(request.POST or None, prefix="contacts")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        organisation = _save_profile(request, form, formset, organisation=None)
        if organisation is not None:
            messages.success(request, _("Your organisation is registered. You are its administrator."))
            return redirect(organisation)
    return render(request, "accounts/organisation_form.html", {"form": form, "formset": formset, "organisation": None})


@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_organisation_for(request.user, pk)
    return render(
        request,
        "accounts/organisation.html",
        {
            "organisation": organisation,
            "profile": selectors.organisation_profile(organisation=organisation),
            "can_manage": can_manage_organisation(request.user, organisation),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_organisation_for(request.user, pk, manage=True)
    form = OrganisationForm(request.POST or None, instance=organisation)
    formset = ContactFormSet(request.POST or None, prefix="contacts", initial=_contacts_initial(organisation))
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        if _save_profile(request, form, formset, organisation=organisation) is not None:
            messages.success(request, _("The profile is saved."))
            return redirect(organisation)
    return render(
        request, "accounts/organisation_form.html", {"form": form, "formset": formset, "organisation": organisation}
    )


def _members_page(request, organisation, invite_form=None, status=200) -> HttpResponse:
    can_manage = can_manage_organisation(request.user, organisation)
    return render(
        request,
        "accounts/members.html",
        {
            "organisation": organisation,
            "memberships": selectors.members_of(organisation=organisation),
            "invitations": selectors.invitations_pending(organisation=organisation) if can_manage else [],
            "can_manage": can_manage,
            "admin_count": organisation.memberships.filter(is_admin=True).count(),
            "invite_form": invite_form
            or (InvitationForm(initial={"language": request.LANGUAGE_CODE}) if can_manage else None),
        },
        status=status,
    )


@login_required
def members(request: HttpRequest, pk: int) -> HttpResponse:
    return _members_page(request, get_organisation_for(request.user, pk))


@login_required
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_organisation_for(request.user, pk, manage=True)
    if request.method == "GET":
        return redirect("accounts:members", organisation.pk)
    form = InvitationForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.invitation_create(
                organisation=organisation,
                by=request.user,
                email=data["email"],
                is_admin=data["is_admin"],
                language=data["language"],
            )
        except ValueError:
            form.add_error("email", _("This person is already a member of the organisation."))
        else:
            messages.success(
                request,
                _("The invitation is sent to %(email)s. The link works for 14 days.") % {"email": data["email"]},
            )
            return redirect("accounts:members", organisation.pk)
    return _members_page(request, organisation, invite_form=form)


@login_required
@require_POST
def member_remove(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    organisation = get_organisation_for(request.user, pk, manage=True)
    membership = get_object_or_404(
        Membership.objects.select_related("user"), pk=membership_pk, organisation=organisation
    )
    try:
        services.member_remove(membership=membership, by=request.user)
    except services.LastAdmin:
        messages.error(
            request,
            _("%(name)s is the last administrator: invite another administrator before removing them.")
            % {"name": membership.user.get_full_name()},
        )
        return redirect("accounts:members", organisation.pk)
    messages.success(request, _("%(name)s is no longer a member.") % {"name": membership.user.get_full_name()})
    if membership.user_id == request.user.pk:
        return redirect("accounts:profile")
    return redirect("accounts:members", organisation.pk)


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    organisation = get_organisation_for(request.user, pk, manage=True)
    invitation = get_object_or_404(Invitation, pk=invitation_pk, organisation=organisation)
    services.invitation_revoke(invitation=invitation, by=request.user)
    messages.success(request, _("The invitation to %(email)s is cancelled.") % {"email": invitation.email})
    return redirect("accounts:members", organisation.pk)


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link of an invitation e-mail. GET explains, POST accepts (mail scanners must not use up the link)."""
    found = invitation_from_token(token)
    if found is None or not found.is_pending():
        return render(request, "accounts/invitation_invalid.html", {"invitation": found})
    user = request.user
    context = {"invitation": found, "organisation": found.organisation}
    if user.is_authenticated:
        if user.email.lower() != found.email.lower():
            return render(request, "accounts/invitation.html", {**context, "wrong_account": True})
        if request.method == "POST":
            services.invitation_accept(invitation=found, user=user)
            messages.success(request, _("Welcome to %(name)s!") % {"name": found.organisation.name})
            return redirect(found.organisation)
        return render(request, "accounts/invitation.html", {**context, "accept": True})
    existing = User.objects.filter(email__iexact=found.email).first()
    if existing is not None and (existing.is_active or existing.last_login is not None):
        return render(request, "accounts/invitation.html", {**context, "sign_in": True})
    form = InvitationSignupForm(
        request.POST or None, email=found.email, initial={"language": found.language or request.LANGUAGE_CODE}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new_user = services.invitation_signup(
                invitation=found, full_name=data["full_name"], password=data["password1"], language=data["language"]
            )
        except (services.EmailTaken, services.InvitationInvalid):
            return render(request, "accounts/invitation_invalid.html", {"invitation": found})
        auth_login(request, new_user, backend="django.contrib.auth.backends.ModelBackend")
        with translation.override(new_user.language or settings.LANGUAGE_CODE):  # the next page's language
            messages.success(
                request, _("Your account is ready. Welcome to %(name)s!") % {"name": found.organisation.name}
            )
        return _use_language(request, redirect(found.organisation), new_user.language)
    return render(request, "accounts/invitation.html", {**context, "form": form})
