from django.urls import path

from jixiao.web.cycles import actions, views

app_name = "cycles"

urlpatterns = [
    path("", views.home, name="home"),
    path("me/", views.me, name="me"),
    path("hr/", views.hr_setup, name="hr"),
    path("cycles/", views.cycle_list, name="list"),
    path("cycles/new/", actions.cycle_new, name="new"),
    path("cycles/<id:cycle_id>/", views.dashboard, name="dashboard"),
    path("cycles/<id:cycle_id>/team/", views.team, name="team"),
    path("cycles/<id:cycle_id>/ratings/", views.ratings, name="ratings"),
    path("cycles/<id:cycle_id>/transition/", actions.transition, name="transition"),
    path("cycles/<id:cycle_id>/review/", actions.review, name="review"),
    path("cycles/<id:cycle_id>/import/", actions.import_metrics, name="import"),
    path("cycles/<id:cycle_id>/rating-deadline/", actions.rating_deadline, name="rating_deadline"),
    path("cycles/<id:cycle_id>/export.csv", views.export_csv, name="export"),
    path("api/cycles/<id:cycle_id>/results.json", views.api_results, name="api_results"),
    path("p/<id:participant_id>/", views.participant, name="participant"),
    path("p/<id:participant_id>/print/", views.participant_print, name="print"),
    path("p/<id:participant_id>/plan/", actions.plan_item, name="plan_item"),
    path("p/<id:participant_id>/sign/", actions.sign, name="sign"),
    path("p/<id:participant_id>/absence/", actions.absence, name="absence"),
    path("p/<id:participant_id>/metric/", actions.metric, name="metric"),
    path("p/<id:participant_id>/calibrate/", actions.calibrate, name="calibrate"),
    path("p/<id:participant_id>/interview/", actions.interview, name="interview"),
    path("p/<id:participant_id>/confirm/", actions.confirm, name="confirm"),
    path("p/<id:participant_id>/appeal/", actions.appeal, name="appeal"),
    path("ratings/<id:rating_id>/", actions.rate, name="rate"),
    path("targets/<id:item_id>/change/", actions.target_change, name="target_change"),
    path(
        "target-changes/<id:change_id>/decide/",
        actions.target_change_decide,
        name="target_change_decide",
    ),
    path("appeals/<id:appeal_id>/decide/", actions.appeal_decide, name="appeal_decide"),
    path("employees/<id:employee_id>/", views.employee_history, name="employee"),
]
