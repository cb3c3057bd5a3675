"""The roles, as Django groups with permissions. Kept in step after every
migrate (post_migrate), so a new permission reaches its role at once."""

from __future__ import annotations

CASEWORKERS = "Caseworkers"
SUPERVISORS = "Supervisors"
CATALOGUE_ADMINS = "Catalogue admins"

_CATALOGUE_MODELS = (
    *("factor", "study", "evidence", "review", "theoreticalmodel"),
    *("factortranslation", "studytranslation", "evidencetranslation"),
    *("theoreticalmodeltranslation", "languagereview"),
)

ROLE_PERMISSIONS: dict[str, list[str]] = {
    CASEWORKERS: [
        "assessments.view_client",
        "assessments.add_client",
        "assessments.change_client",
        "assessments.view_assessment",
        "assessments.add_assessment",
        "assessments.change_assessment",
        "assessments.delete_assessment",
        "assessments.view_plan",
        "assessments.add_plan",
        "assessments.change_plan",
        "assessments.change_case",
        "assessments.view_service",
    ],
    SUPERVISORS: [
        "assessments.view_client",
        "assessments.view_assessment",
        "assessments.reassign_client",
        "assessments.export_client",
        "assessments.reopen_assessment",
        "assessments.view_team_report",
        "assessments.view_team_audit",
        "assessments.view_plan",
        "assessments.change_case",
        "assessments.view_service",
        "assessments.issue_enrolmentcode",
    ],
    CATALOGUE_ADMINS: [
        f"factors.{action}_{model}"
        for model in _CATALOGUE_MODELS
        for action in ("view", "add", "change", "delete")
    ]
    + ["factors.view_catalogueversion"]
    + [f"assessments.{action}_service" for action in ("view", "add", "change", "delete")],
}


def ensure_roles(**kwargs) -> None:
    from django.contrib.auth.models import Group, Permission

    for name, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            wanted.extend(
                Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(wanted)
