"""Access rules — the ONE place where permissions are decided (seed 000, archive access).

- An employee sees only their own records.
- A department head sees their own department's records, never another department's.
- A supervisor (分管领导) sees the departments they oversee.
- The leadership group (绩效管理领导小组), the working group, the GM and HR see everyone.
- Only the GM, the leadership and working groups, or people the GM delegates
  (``can_export``), may export or print other people's records. Salary figures follow the same rules.

Every view, export and API fetches through the ``access_*`` functions: they return the object
or raise ``Http404`` (does not exist) / ``PermissionDenied`` (exists, not yours). Every write
service checks its rights with a ``require_*`` function; pages ask ``can_*`` predicates (and
templates the ``may`` abilities) what to show. Nothing outside this package reads a role.

One module per domain: ``cycles``, ``payroll``, ``imports``, ``schemes``, ``org``, ``audit``;
``roles`` holds the role checks every domain shares and the export rule; ``menu`` the abilities
for templates; ``_actor`` who is asking.
"""

from jixiao.web.access._actor import Actor, UserLike, actor_of, signed_in
from jixiao.web.access.audit import can_read_audit, require_audit_reader
from jixiao.web.access.cycles import (
    access_appeal,
    access_cycle,
    access_plan_item,
    access_rating,
    access_result,
    access_target_change,
    can_manage_cycles,
    can_manage_participant,
    can_see_score,
    can_see_scores,
    can_view_team,
    handled_appeals,
    is_own_record,
    manages,
    require_appeal_decider,
    require_cycle_admin,
    require_department_reviewer,
    require_manages,
    require_plan_signer,
    require_rater,
    require_self,
    require_target_change_decider,
    require_target_change_requester,
    require_team_viewer,
    result_visible_to,
    reviewable_departments,
    visible_owed_ratings,
    visible_participants,
)
from jixiao.web.access.imports import (
    access_import_batch,
    can_import_data,
    mappable_employees,
    require_import_data,
    upload_limit,
    visible_import_batches,
)
from jixiao.web.access.jobs import access_job, require_job_download, require_job_start
from jixiao.web.access.menu import Abilities, abilities_of
from jixiao.web.access.org import (
    access_employee,
    can_manage_org,
    can_open_admin,
    can_read_everyone,
    find_employee,
    require_org_admin,
    visible_employees,
)
from jixiao.web.access.payroll import (
    access_payplan_version,
    access_payroll_run,
    access_payslip,
    can_manage_payroll,
    can_read_pay_sheets,
    can_see_pay_totals,
    reads_pay_sheets,
    require_pay_sheet_reader,
    require_payroll_admin,
    visible_payslips,
)
from jixiao.web.access.roles import (
    can_export,
    has_any_role,
    require_export,
    require_gm,
    require_hr,
    require_role,
)
from jixiao.web.access.schemes import (
    access_scheme_version,
    can_manage_schemes,
    require_scheme_admin,
)

__all__ = [
    "Abilities",
    "Actor",
    "UserLike",
    "abilities_of",
    "access_appeal",
    "access_cycle",
    "access_employee",
    "access_import_batch",
    "access_job",
    "access_payplan_version",
    "access_payroll_run",
    "access_payslip",
    "access_plan_item",
    "access_rating",
    "access_result",
    "access_scheme_version",
    "access_target_change",
    "actor_of",
    "can_export",
    "can_import_data",
    "can_manage_cycles",
    "can_manage_org",
    "can_manage_participant",
    "can_manage_payroll",
    "can_manage_schemes",
    "can_open_admin",
    "can_read_audit",
    "can_read_everyone",
    "can_read_pay_sheets",
    "can_see_pay_totals",
    "can_see_score",
    "can_see_scores",
    "can_view_team",
    "find_employee",
    "handled_appeals",
    "has_any_role",
    "is_own_record",
    "manages",
    "mappable_employees",
    "reads_pay_sheets",
    "require_appeal_decider",
    "require_audit_reader",
    "require_cycle_admin",
    "require_department_reviewer",
    "require_export",
    "require_gm",
    "require_hr",
    "require_import_data",
    "require_job_download",
    "require_job_start",
    "require_manages",
    "require_org_admin",
    "require_pay_sheet_reader",
    "require_payroll_admin",
    "require_plan_signer",
    "require_rater",
    "require_role",
    "require_scheme_admin",
    "require_self",
    "require_target_change_decider",
    "require_target_change_requester",
    "require_team_viewer",
    "result_visible_to",
    "reviewable_departments",
    "signed_in",
    "upload_limit",
    "visible_employees",
    "visible_import_batches",
    "visible_owed_ratings",
    "visible_participants",
    "visible_payslips",
]
