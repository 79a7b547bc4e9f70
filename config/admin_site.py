"""The admin site: staff as Django has it, plus fund managers, who configure their own calls there.

What a manager may see and change inside is decided per ModelAdmin (fonds/admin_scope.py); every
other ModelAdmin keeps Django's model-permission checks, which a manager's group does not pass.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig

from accounts.roles import FUND_MANAGER, has_role


class GuichetAdminSite(admin.AdminSite):
    def has_permission(self, request) -> bool:
        user = request.user
        return user.is_active and (user.is_staff or has_role(user, FUND_MANAGER))


class GuichetAdminConfig(AdminConfig):
    default_site = "config.admin_site.GuichetAdminSite"
