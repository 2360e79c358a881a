from django.urls import path

from jixiao.web.jobs import views

app_name = "jobs"

urlpatterns = [
    path("<id:job_id>/", views.detail, name="detail"),
    path("<id:job_id>/progress/", views.progress, name="progress"),
    path("<id:job_id>/download/", views.download, name="download"),
    path("pay-sheet/<id:run_id>/", views.export_pay_sheet, name="export_pay_sheet"),
    path("results/<id:cycle_id>/", views.export_results, name="export_results"),
]
