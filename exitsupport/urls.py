from django.contrib import admin
from django.urls import include, path, register_converter
from django.views.decorators.cache import cache_control
from django.views.i18n import JavaScriptCatalog

from assessments import language
from assessments.security import views as security_views
from assessments.views import accounts, pages
from exitsupport import converters, health

register_converter(converters.ConsentKind, "consent_kind")


urlpatterns = [
    path("", accounts.home, name="home"),
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/logout/", accounts.LogoutView.as_view(), name="logout"),
    path("accounts/two-factor/", security_views.two_factor, name="two_factor"),
    # Under /accounts/ so that the picker works before the second factor too.
    path("accounts/language/", language.set_language, name="set_language"),
    # The interface's words for static/js (djangojs domain) and for print.
    path(
        "i18n/catalog.js",
        cache_control(private=True, max_age=3600)(
            JavaScriptCatalog.as_view(packages=["assessments"])
        ),
        name="javascript_catalog",
    ),
    path("i18n/print.css", language.print_css, name="print_css"),
    path("security/", include("assessments.security.urls")),
    path("accessibility/", pages.accessibility, name="accessibility"),
    path("favicon.ico", pages.favicon, name="favicon"),
    path("catalogue/", include("factors.urls")),
    path("", include("assessments.urls")),
    path("", include("assessments.plans.urls")),
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
