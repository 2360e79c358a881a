from django.urls import path

from jixiao.web.schemes import views

app_name = "schemes"
urlpatterns = [
    path("", views.scheme_list, name="list"),
    path("new/", views.scheme_new, name="new"),
    path("versions/<id:version_id>/", views.version_edit, name="version"),
    path("versions/<id:version_id>/validate/", views.version_validate, name="validate"),
    path("versions/<id:version_id>/publish/", views.version_publish, name="publish"),
    path("versions/<id:version_id>/new-draft/", views.version_new_draft, name="new_draft"),
]
