from django.urls import path

from jixiao.web.cycles import actions, views

app_name = "cycles"

urlpatterns = [
    path("", views.home, name="home"),
    path("me/", views.me, name="me"),
    path("hr/", views.hr_setup, name="hr"),
    path("cycles/", views.cycle_list, name="list"),
    path("cycles/new/", actions.cycle_new, name="new"),
    path("cycles/<int:cycle_id>/", views.dashboard, name="dashboard"),
    path("cycles/<int:cycle_id>/team/", views.team, name="team"),
    path("cycles/<int:cycle_id>/ratings/", views.ratings, name="ratings"),
    path("cycles/<int:cycle_id>/transition/", actions.transition, name="transition"),
    path("cycles/<int:cycle_id>/review/", actions.review, name="review"),
    path("cycles/<int:cycle_id>/import/", actions.import_metrics, name="import"),
    path("cycles/<int:cycle_id>/rating-deadline/", actions.rating_deadline, name="rating_deadline"),
    path("cycles/<int:cycle_id>/export.csv", views.export_csv, name="export"),
    path("api/cycles/<int:cycle_id>/results.json", views.api_results, name="api_results"),
    path("p/<int:participant_id>/", views.participant, name="participant"),
    path("p/<int:participant_id>/print/", views.participant_print, name="print"),
    path("p/<int:participant_id>/plan/", actions.plan_item, name="plan_item"),
    path("p/<int:participant_id>/sign/", actions.sign, name="sign"),
    path("p/<int:participant_id>/absence/", actions.absence, name="absence"),
    path("p/<int:participant_id>/metric/", actions.metric, name="metric"),
    path("p/<int:participant_id>/calibrate/", actions.calibrate, name="calibrate"),
    path("p/<int:participant_id>/interview/", actions.interview, name="interview"),
    path("p/<int:participant_id>/confirm/", actions.confirm, name="confirm"),
    path("p/<int:participant_id>/appeal/", actions.appeal, name="appeal"),
    path("ratings/<int:rating_id>/", actions.rate, name="rate"),
    path("targets/<int:item_id>/change/", actions.target_change, name="target_change"),
    path(
        "target-changes/<int:change_id>/decide/",
        actions.target_change_decide,
        name="target_change_decide",
    ),
    path("appeals/<int:appeal_id>/decide/", actions.appeal_decide, name="appeal_decide"),
    path("employees/<int:employee_id>/", views.employee_history, name="employee"),
]
