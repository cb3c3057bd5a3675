from django.contrib.admin import AdminSite
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext_lazy as _

from assessments.roles import CATALOGUE_ADMINS


class CatalogueAdminSite(AdminSite):
    """The admin site is for catalogue admins (and the superuser) only."""

    site_header = _("ExitSupport catalogue administration")
    site_title = _("ExitSupport admin")
    index_title = _("Catalogue")

    @property
    def login_form(self):
        from assessments.forms import AdminLoginForm

        return AdminLoginForm

    def has_permission(self, request) -> bool:
        user = request.user
        return (
            user.is_active
            and user.is_staff
            and (user.is_superuser or user.groups.filter(name=CATALOGUE_ADMINS).exists())
        )

    def get_urls(self):
        urls = super().get_urls()
        view_on_site = path(
            "r/<path:content_type_id>/<path:object_id>/",
            self.admin_view(self.catalogue_view_on_site),
            name="view_on_site",
        )
        return [view_on_site if getattr(u, "name", None) == "view_on_site" else u for u in urls]

    def catalogue_view_on_site(self, request, content_type_id, object_id):
        """Django's "view on site" redirect, for catalogue records only (all for
        the superuser): for a client record its 302-or-404 would tell a
        catalogue admin which ids exist."""
        if not request.user.is_superuser:
            try:
                app_label = ContentType.objects.get_for_id(int(content_type_id)).app_label
            except (ValueError, ContentType.DoesNotExist):
                raise Http404 from None
            if app_label != "factors":
                raise Http404
        return contenttype_views.shortcut(request, content_type_id, object_id)
