from django.urls import path

from jixiao.web.imports import views

app_name = "imports"

urlpatterns = [
    path("cycles/<id:cycle_id>/imports/", views.cycle_imports, name="cycle"),
    path("cycles/<id:cycle_id>/imports/upload/", views.upload, name="upload"),
    path("imports/<id:batch_id>/", views.batch_detail, name="batch"),
    path("imports/<id:batch_id>/commit/", views.commit, name="commit"),
    path("imports/<id:batch_id>/discard/", views.discard, name="discard"),
    path("imports/<id:batch_id>/map/", views.map_account, name="map"),
]
