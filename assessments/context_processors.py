def navigation(request) -> dict:
    """What the navigation bar offers, by role."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_can_report": user.has_perm("assessments.view_team_report"),
        "nav_can_audit": user.has_perm("assessments.view_team_audit"),
        "nav_can_admin": user.is_staff,
    }
