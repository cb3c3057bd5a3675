from django.contrib.admin import AdminSite


class CatalogueAdminSite(AdminSite):
    """The admin site is for catalogue admins (and the superuser) only."""

    site_header = "ExitSupport catalogue administration"
    site_title = "ExitSupport admin"
    index_title = "Catalogue"

    def has_permission(self, request) -> bool:
        user = request.user
        return (
            user.is_active
            and user.is_staff
            and (user.is_superuser or user.groups.filter(name="Catalogue admins").exists())
        )
