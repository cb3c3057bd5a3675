from django.contrib import admin
from django.urls import include, path, register_converter

from assessments.security import views as security_views
from assessments.views import accounts, pages
from exitsupport import converters, health

register_converter(converters.ConsentKind, "consent_kind")


urlpatterns = [
    path("", accounts.home, name="home"),
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/logout/", accounts.LogoutView.as_view(), name="logout"),
    path("accounts/two-factor/", security_views.two_factor, name="two_factor"),
    path("security/", include("assessments.security.urls")),
    path("accessibility/", pages.accessibility, name="accessibility"),
    path("favicon.ico", pages.favicon, name="favicon"),
    path("catalogue/", include("factors.urls")),
    path("", include("assessments.urls")),
    path("", include("assessments.plans.urls")),
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
