from django.urls import path

from factors import version_views, views

app_name = "factors"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("factors/<slug:slug>/", views.factor_detail, name="factor"),
    path("studies/", views.study_list, name="studies"),
    path("studies/<slug:key>/", views.study_detail, name="study"),
    path("about/", views.about, name="about"),
    path("versions/", version_views.version_list, name="versions"),
]
