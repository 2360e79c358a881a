"""Writes for cycles. Import from here: ``from jixiao.web.cycles.services import ...``."""

from jixiao.web.cycles.services._common import CycleError, add_working_days
from jixiao.web.cycles.services.appeals import appeal_decide, appeal_file
from jixiao.web.cycles.services.importing import metrics_import
from jixiao.web.cycles.services.planning import (
    metric_set,
    participant_set_absence,
    plan_item_set,
    plan_sign,
    target_change_decide,
    target_change_request,
)
from jixiao.web.cycles.services.rating import (
    rating_deadline_set,
    rating_submit,
    rating_tasks_create,
)
from jixiao.web.cycles.services.review import (
    department_review_submit,
    interview_note_set,
    participant_calibrate,
    result_confirm,
)
from jixiao.web.cycles.services.scoring import cycle_compute_scores
from jixiao.web.cycles.services.transitions import (
    TRANSITIONS,
    Transition,
    available_transitions,
    cycle_create,
    cycle_pin_schemes,
    cycle_transition,
)

__all__ = [
    "TRANSITIONS",
    "CycleError",
    "Transition",
    "add_working_days",
    "appeal_decide",
    "appeal_file",
    "available_transitions",
    "cycle_compute_scores",
    "cycle_create",
    "cycle_pin_schemes",
    "cycle_transition",
    "department_review_submit",
    "interview_note_set",
    "metric_set",
    "metrics_import",
    "participant_calibrate",
    "participant_set_absence",
    "plan_item_set",
    "plan_sign",
    "rating_deadline_set",
    "rating_submit",
    "rating_tasks_create",
    "result_confirm",
    "target_change_decide",
    "target_change_request",
]
