from django.urls import path

from assessments.reports import views as reports
from assessments.views import assessment, audit, clients, session

app_name = "assessments"

urlpatterns = [
    path("clients/", clients.client_list, name="clients"),
    path("clients/new/", clients.client_create, name="client_new"),
    path("clients/<int:pk>/", clients.client_detail, name="client"),
    path("clients/<int:pk>/edit/", clients.client_edit, name="client_edit"),
    path(
        "clients/<int:pk>/consent/<consent_kind:kind>/withdraw/",
        clients.client_consent_withdraw,
        name="client_consent_withdraw",
    ),
    path("clients/<int:pk>/reassign/", clients.client_reassign, name="client_reassign"),
    path("clients/<int:pk>/export/", clients.client_export, name="client_export"),
    path("clients/<int:pk>/erase/", clients.client_erase, name="client_erase"),
    path("clients/<int:pk>/timeline/", assessment.client_timeline, name="timeline"),
    path("clients/<int:client_pk>/assessments/new/", assessment.assessment_start, name="start"),
    path("assessments/<int:pk>/", assessment.assessment_results, name="results"),
    path("assessments/<int:pk>/edit/", assessment.assessment_edit, name="edit"),
    path("assessments/<int:pk>/autosave/", assessment.assessment_autosave, name="autosave"),
    path("assessments/<int:pk>/reopen/", assessment.assessment_reopen, name="reopen"),
    path("assessments/<int:pk>/delete/", assessment.assessment_delete, name="delete"),
    path("reports/", reports.report, name="report"),
    path("reports/export.csv", reports.report_csv, name="report_csv"),
    path("audit/", audit.audit_list, name="audit"),
    path("session/status/", session.session_status, name="session_status"),
    path("session/renew/", session.session_renew, name="session_renew"),
]
