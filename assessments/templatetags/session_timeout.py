"""The data the timeout warning (static/js/session-timeout.js) needs, on every
signed-in page."""

from functools import lru_cache

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html

from assessments import sessions

register = template.Library()


@lru_cache(maxsize=8)
def _addresses(script_prefix: str) -> tuple[str, ...]:
    """The warning's addresses and files: fixed while the process runs (the
    URL conf, the static files' manifest), so looked up once per script prefix
    (the active one when this runs)."""
    return (
        reverse("assessments:session_status"),
        reverse("assessments:session_renew"),
        reverse("login"),
        reverse("logout"),
        static("css/session.css"),
        static("js/session-timeout.js"),
    )


def _forget(**kwargs) -> None:
    _addresses.cache_clear()


setting_changed.connect(_forget, dispatch_uid="session-timeout-addresses")  # tests only


@register.simple_tag(takes_context=True)
def session_timeout(context) -> str:
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return ""
    left = sessions.time_left(request.session, renewing=True)
    return format_html(
        '<meta name="session-timeout" data-seconds-left="{}" data-ends-because="{}" '
        'data-warn-seconds="{}" data-status-url="{}" data-renew-url="{}" data-login-url="{}" '
        'data-logout-url="{}">'
        '<link rel="stylesheet" href="{}"><script src="{}" defer></script>',
        left.seconds,
        left.reason,
        settings.SESSION_WARNING_SECONDS,
        *_addresses(get_script_prefix()),
    )
