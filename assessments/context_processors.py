from django.conf import settings

from assessments.security.enrolment import can_issue as can_issue_enrolment_codes


def sign_in_policy(request) -> dict:
    """The lockout policy, so sign-in pages state the configured figures."""
    return {
        "axes_failure_limit": settings.AXES_FAILURE_LIMIT,
        "axes_cooloff_minutes": round(settings.AXES_COOLOFF_TIME * 60),
    }


def navigation(request) -> dict:
    """What the navigation bar offers, by role."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_can_report": user.has_perm("assessments.view_team_report"),
        "nav_can_audit": user.has_perm("assessments.view_team_audit"),
        "nav_can_admin": user.is_staff,
        "nav_can_issue_codes": can_issue_enrolment_codes(user),
        "nav_can_trace": user.is_superuser,
    }
