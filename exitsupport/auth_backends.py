"""Django's ModelBackend, with a user's permissions read in one query."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission


class ModelBackendOneQuery(ModelBackend):
    """The same permissions as ModelBackend (the user's own and their groups'),
    read as one UNION instead of two queries, once per user object (so once
    per request) in the same ``_perm_cache``. Every signed-in page asks (the
    navigation shows links by role), so this is one query less per page."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            fields = ("content_type__app_label", "codename")
            if user_obj.is_superuser:
                perms = Permission.objects.values_list(*fields).order_by()
            else:
                own = self._get_user_permissions(user_obj).values_list(*fields).order_by()
                grouped = self._get_group_permissions(user_obj).values_list(*fields).order_by()
                perms = own.union(grouped)
            user_obj._perm_cache = {f"{app}.{codename}" for app, codename in perms}
        return user_obj._perm_cache
