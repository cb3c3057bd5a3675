from axes.apps import AppConfig as AxesAppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPConfig


class CatalogueAdminConfig(AdminConfig):
    default_site = "exitsupport.admin.CatalogueAdminSite"


# Two installed apps without a name of their own in the admin: Django falls
# back on their labels ("Axes", "Otp_Totp"), in English whatever the language.
# Same apps, same labels (no migration): only the name shown changes.


class SignInAttemptsConfig(AxesAppConfig):
    verbose_name = _("Sign-in attempts")


class TwoFactorDevicesConfig(TOTPConfig):
    verbose_name = _("Two-factor devices")
