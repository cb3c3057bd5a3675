from django.conf import settings


def sign_in_policy(request) -> dict:
    """The lockout policy, so sign-in pages state the configured figures."""
    return {
        "axes_failure_limit": settings.AXES_FAILURE_LIMIT,
        "axes_cooloff_minutes": round(settings.AXES_COOLOFF_TIME * 60),
    }
