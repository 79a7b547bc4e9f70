from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .admin_mixins import ReadOnlyModelAdmin
from .forms import UserChangeForm, UserCreationForm
from .models import Contact, Invitation, Membership, Mrc, Organisation, Population, Region, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "is_admin", "created_at"]
    readonly_fields = ["created_at"]


class UserMembershipInline(MembershipInline):
    autocomplete_fields = ["organisation"]
    fields = ["organisation", "is_admin", "created_at"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("full_name", "language")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "language", "password1", "password2")}),
    )
    readonly_fields = ["last_login", "date_joined"]
    list_display = ["email", "full_name", "language", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser", "groups", "language"]
    search_fields = ["email", "full_name"]
    ordering = ["email"]
    inlines = [UserMembershipInline]

    def get_inlines(self, request, obj):
        # Memberships are added once the user exists.
        return self.inlines if obj else []


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Mrc)
class MrcAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region"]
    list_filter = ["region"]
    list_select_related = ["region"]
    search_fields = ["code", "name"]


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ["position", "name", "role", "email", "phone"]


@admin.register(Population)
class PopulationAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fr", "name_en", "position"]
    list_editable = ["position"]
    search_fields = ["code", "name_fr", "name_en"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "legal_form", "neq", "mrc", "created_at"]
    list_filter = ["legal_form", "mrc__region", "populations"]
    list_select_related = ["mrc"]
    search_fields = ["name", "neq", "memberships__user__email"]
    autocomplete_fields = ["mrc"]
    filter_horizontal = ["mrcs_served", "populations"]
    inlines = [MembershipInline, ContactInline]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyModelAdmin):
    """Invitations are sent and accepted through the organisation pages (the e-mail and the token come from there)."""

    list_display = ["email", "organisation", "is_admin", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["is_admin"]
    list_select_related = ["organisation"]
    search_fields = ["email", "organisation__name"]
    exclude = ["nonce"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "is_admin", "created_at"]
    list_filter = ["is_admin"]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__email", "user__full_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
