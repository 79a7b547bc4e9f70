"""Fund managers in the admin: they configure the calls of the funds they manage, and see nothing else.

A superuser, or staff with model permissions, keeps Django's checks. A fund manager who is not a
superuser gets the role's rights instead, limited to the objects of their funds (`Fund.managers`),
and the choices of the form fields that name a fund, a call or a criterion are limited the same way,
so a tampered POST cannot put an object in another fund.
"""

from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.db.models import Q

from accounts.models import User
from accounts.roles import COMMITTEE, FUND_MANAGER, has_role

from .models import Call, Criterion, Fund


def is_scoped_manager(user) -> bool:
    return user.is_active and not user.is_superuser and has_role(user, FUND_MANAGER)


def managed_fund_ids(user) -> set[int]:
    cache = getattr(user, "_managed_fund_ids", None)
    if cache is None:
        cache = set(user.managed_funds.values_list("pk", flat=True))
        user._managed_fund_ids = cache
    return cache


def _choices(user, model):
    """What a manager may pick for a foreign key to `model`; None for models with nothing to hide."""
    if model is Fund:
        return Fund.objects.filter(managers=user)
    if model is Call:
        return Call.objects.filter(fund__managers=user).select_related("fund")
    if model is Criterion:
        return Criterion.objects.filter(call__fund__managers=user).select_related("call")
    return None


def _committee_choices(user):
    # People with the committee role, and those already on a committee of the manager's calls:
    # never the whole user table (applicants, staff).
    return (
        User.objects.filter(Q(is_active=True, groups__name=COMMITTEE) | Q(committee_calls__fund__managers=user))
        .distinct()
        .order_by("full_name", "email")
    )


class _FundScoped:
    fund_lookup = ""  # the path from the admin's model to its Fund, e.g. "call__fund"

    def _allows(self, request, obj=None) -> bool:
        raise NotImplementedError

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_scoped_manager(request.user):
            queryset = queryset.filter(**{f"{self.fund_lookup}__managers": request.user})
        return queryset

    def has_view_permission(self, request, obj=None) -> bool:
        if is_scoped_manager(request.user):
            return self._allows(request, obj)
        return super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        if is_scoped_manager(request.user):
            return self._allows(request, obj)
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if is_scoped_manager(request.user):
            return self._allows(request, obj)
        return super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if is_scoped_manager(request.user) and "queryset" not in kwargs:
            queryset = _choices(request.user, db_field.related_model)
            if queryset is not None:
                kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if is_scoped_manager(request.user) and "queryset" not in kwargs:
            if db_field.related_model is User:
                kwargs["queryset"] = _committee_choices(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class FundScopedAdminMixin(_FundScoped):
    """For the ModelAdmin of a model that belongs to a fund through `fund_lookup`."""

    def manages(self, request, obj) -> bool:
        """Whether the object belongs to one of the funds the user manages."""
        *path, last = self.fund_lookup.split("__")
        for name in path:
            obj = getattr(obj, name)
        return getattr(obj, f"{last}_id") in managed_fund_ids(request.user)

    def _allows(self, request, obj=None) -> bool:
        return obj is None or self.manages(request, obj)

    def has_add_permission(self, request) -> bool:
        if is_scoped_manager(request.user):
            return True
        return super().has_add_permission(request)

    def has_module_permission(self, request) -> bool:
        return is_scoped_manager(request.user) or super().has_module_permission(request)

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        if not is_scoped_manager(request.user):
            return filters
        # A related filter lists every fund (or funder, call...) by default; only those in the manager's rows.
        return [
            (f, admin.RelatedOnlyFieldListFilter)
            if isinstance(f, str) and get_fields_from_path(self.model, f)[-1].is_relation
            else f
            for f in filters
        ]


class FundScopedInlineMixin(_FundScoped):
    """For an inline of a fund-scoped ModelAdmin: a manager edits the rows of the objects they manage.

    Django passes the parent object to an inline's permission checks; the parent's admin decides.
    """

    def _allows(self, request, obj=None) -> bool:
        return obj is None or self.admin_site._registry[self.parent_model].manages(request, obj)

    def has_add_permission(self, request, obj) -> bool:
        if is_scoped_manager(request.user):
            return self._allows(request, obj)
        return super().has_add_permission(request, obj)
