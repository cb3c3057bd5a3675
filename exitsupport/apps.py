from django.contrib.admin.apps import AdminConfig


class CatalogueAdminConfig(AdminConfig):
    default_site = "exitsupport.admin.CatalogueAdminSite"
