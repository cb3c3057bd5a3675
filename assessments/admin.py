"""The admin site is for catalogue admins. Client records appear here for the
superuser alone; the audit trail is read-only for everyone."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied

from assessments.models import Assessment, AuditEvent, Client, Team


class SuperuserOnly(admin.ModelAdmin):
    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def history_view(self, request, object_id, extra_context=None):
        # Django answers a missing id here with a redirect before checking
        # permissions, which would confirm to anyone which records exist.
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)


@admin.register(Team)
class TeamAdmin(SuperuserOnly):
    list_display = ["name"]
    filter_horizontal = ["members"]


@admin.register(Client)
class ClientAdmin(SuperuserOnly):
    list_display = ["reference", "team", "caseworker", "created_at"]
    list_filter = ["team"]
    search_fields = ["reference"]
    list_select_related = ["team", "caseworker"]


@admin.register(Assessment)
class AssessmentAdmin(SuperuserOnly):
    list_display = ["client", "date", "status", "caseworker"]
    list_filter = ["status"]
    list_select_related = ["client", "caseworker"]


@admin.register(AuditEvent)
class AuditEventAdmin(SuperuserOnly):
    list_display = ["at", "username", "action", "object_type", "object_id", "team", "ip"]
    list_filter = ["action", "object_type", "team"]
    list_select_related = ["team"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


from assessments.plans import admin as plan_admin  # noqa: E402, F401  (the services directory)
from assessments.security import admin as security_admin  # noqa: E402, F401  (two-factor devices)
