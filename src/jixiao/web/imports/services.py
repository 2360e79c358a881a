"""Writes for imports: upload a file (a batch to review), commit it into the cycle, discard it,
map an unknown shop sub-account to an employee. Each is one transaction and is audited.

Rules (also in docs/import.md, “网页导入”):

* Upload stores the file's bytes and sha256 in an ``ImportBatch`` (status 待确认) and writes no
  metric value. A file the import library refuses (too big, zip bomb, damaged, no profile)
  leaves nothing behind.
* Commit re-reads the stored bytes with the current sub-account mapping and writes every value
  in ONE transaction, one audit entry per changed value (reason = the batch).
* Same file (same sha256) in the same cycle again: the earlier batch's values are taken back
  (restored to what they were before it, unless something later changed them) and the new batch
  writes its values — a replacement, never a sum. A different file is a separate batch; for a
  value that several batches write, the one committed last wins.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jixiao.ingest import split_account
from jixiao.web.access import UserLike, access_import_batch, require_import_data, signed_in
from jixiao.web.audit.services import audit_record
from jixiao.web.cycles.models import Cycle, MetricValue, Participant
from jixiao.web.cycles.services._common import ensure_state
from jixiao.web.errors import either, in_both
from jixiao.web.imports.models import ImportBatch, ImportedValue
from jixiao.web.imports.selectors import ImportPlan, ImportRefused, import_plan
from jixiao.web.imports.stored import stored_preview
from jixiao.web.org.models import Employee, ShopAccount

__all__ = [
    "expired_before",
    "import_batch_commit",
    "import_batch_discard",
    "import_batch_refresh",
    "import_batch_upload",
    "import_batches_expire",
    "shop_account_map",
]

S = Cycle.State
B = ImportBatch.Status
DATA_STATES = (S.RUNNING, S.RATING)  # the stages in which data may change (as metric_set)

Pair = tuple[int, str]


def _counts(plan: ImportPlan) -> dict[str, Any]:
    pv = plan.preview
    return {
        "profile": pv.profile,
        "profile_name": pv.profile_name[:128],
        "rows_read": pv.rows_read,
        "rows_used": pv.rows_used,
        "rows_rejected": len({(i.sheet, i.row) for i in pv.rejected}),
        "people_matched": len(pv.matched),
        "people_unmatched": len(pv.unmatched),
    }


@transaction.atomic
def import_batch_upload(
    *, user: UserLike, cycle: Cycle, data: bytes, file_name: str, profile: str | None = None
) -> tuple[ImportBatch, ImportPlan]:
    """Check the file and keep it for review. Writes no metric value."""
    require_import_data(user=user)
    ensure_state(cycle, *DATA_STATES, doing=_("导入数据"))
    import_batches_expire(cycle=cycle)  # unconfirmed uploads do not pile up
    file_name = (file_name or "上传的文件").strip()[:255]
    plan = import_plan(user=user, cycle=cycle, data=data, file_name=file_name, profile=profile)
    uploader = signed_in(user)
    batch = ImportBatch.objects.filter(
        cycle=cycle, sha256=plan.preview.sha256, status=B.PREVIEW, uploaded_by=uploader
    ).first() or ImportBatch(cycle=cycle, sha256=plan.preview.sha256, uploaded_by=uploader)
    batch.file_name = file_name
    batch.size = len(data)
    batch.content = data
    batch.profile_requested = profile or ""
    for k, v in _counts(plan).items():
        setattr(batch, k, v)
    batch.preview = stored_preview(plan)
    batch.save()
    audit_record(
        actor=user,
        entity="import_batch",
        entity_id=batch.pk,
        action="upload",
        after={"file": file_name, "sha256": batch.sha256, "profile": batch.profile},
        cycle_id=cycle.pk,
    )
    return batch, plan


@transaction.atomic
def import_batch_discard(*, user: UserLike, batch: ImportBatch) -> None:
    """Throw away an upload that was not committed."""
    access_import_batch(user=user, batch_id=batch.pk)
    require_import_data(user=user)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != B.PREVIEW:
        raise ImportRefused(_("已提交的导入批次不能删除；如需更正，请导入改正后的文件。"))
    audit_record(
        actor=user,
        entity="import_batch",
        entity_id=batch.pk,
        action="discard",
        before={"file": batch.file_name, "sha256": batch.sha256},
        cycle_id=batch.cycle_id,
    )
    batch.delete()


def _later_writers(
    cycle: Cycle, earlier: list[ImportBatch], pairs: set[Pair]
) -> dict[Pair, dt.datetime]:
    """For each pair: when another (not replaced) batch last wrote it."""
    out: dict[Pair, dt.datetime] = {}
    rows = (
        ImportedValue.objects.filter(
            batch__cycle=cycle,
            batch__status=B.COMMITTED,
            participant_id__in={p for p, _ in pairs},
        )
        .exclude(batch__in=earlier)
        .values_list("participant_id", "code", "batch__committed_at")
    )
    for pid, code, at in rows:
        if (pid, code) in pairs and at is not None and (out.get((pid, code)) or at) <= at:
            out[(pid, code)] = at
    return out


def expired_before() -> dt.datetime:
    """Previews uploaded before this moment have expired (``JIXIAO_IMPORT_PREVIEW_HOURS``)."""
    return timezone.now() - dt.timedelta(hours=settings.JIXIAO_IMPORT_PREVIEW_HOURS)


@transaction.atomic
def import_batches_expire(*, cycle: Cycle | None = None) -> int:
    """Delete the unconfirmed uploads (and their stored files) older than the setting; each
    deletion is audited. Runs at every upload (for that cycle) and from ``expire_imports``."""
    old = ImportBatch.objects.filter(status=B.PREVIEW, uploaded_at__lt=expired_before())
    if cycle is not None:
        old = old.filter(cycle=cycle)
    old = old.exclude(cycle__state=Cycle.State.ARCHIVED)  # frozen with their cycle
    n = 0
    for batch in old.defer("content", "preview").select_for_update(skip_locked=True):
        audit_record(
            actor=None,
            entity="import_batch",
            entity_id=batch.pk,
            action="expire",
            before={"file": batch.file_name, "sha256": batch.sha256},
            reason=f"超过 {settings.JIXIAO_IMPORT_PREVIEW_HOURS} 小时未确认",
            cycle_id=batch.cycle_id,
        )
        batch.delete()
        n += 1
    return n


@transaction.atomic
def import_batch_refresh(*, user: UserLike, batch: ImportBatch) -> ImportBatch:
    """Parse the stored file again (after a sub-account mapping changed what it means) and
    store the new preview."""
    access_import_batch(user=user, batch_id=batch.pk)
    batch = ImportBatch.objects.select_for_update().select_related("cycle").get(pk=batch.pk)
    if batch.status != B.PREVIEW:
        return batch
    plan = import_plan(
        user=batch.uploaded_by or user,
        cycle=batch.cycle,
        data=bytes(batch.content),
        file_name=batch.file_name,
        profile=batch.profile_requested or None,
    )
    for k, v in _counts(plan).items():
        setattr(batch, k, v)
    batch.preview = stored_preview(plan)
    batch.save()
    return batch


@transaction.atomic
def import_batch_commit(*, user: UserLike, batch: ImportBatch) -> ImportBatch:
    """Write the batch's values into the cycle, all in this one transaction."""
    access_import_batch(user=user, batch_id=batch.pk)  # HR, or the person who uploaded it
    require_import_data(user=user)
    cycle = Cycle.objects.select_for_update().get(pk=batch.cycle_id)
    ensure_state(cycle, *DATA_STATES, doing=_("提交导入"))
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status == B.PREVIEW and batch.uploaded_at < expired_before():
        raise ImportRefused(
            _("导入批次 #%(id)s 超过 %(hours)s 小时未确认，已过期；请重新上传文件。"),
            params={"id": batch.pk, "hours": settings.JIXIAO_IMPORT_PREVIEW_HOURS},
        )
    if batch.status != B.PREVIEW:
        raise ImportRefused(
            _("导入批次 #%(id)s 已是“%(status)s”状态；要重新导入，请再次上传文件。"),
            params={"id": batch.pk, "status": B(batch.status).label},
        )
    plan = import_plan(
        user=user,
        cycle=cycle,
        data=bytes(batch.content),
        file_name=batch.file_name,
        profile=batch.profile_requested or None,
    )
    if plan.blockers:
        texts = [in_both(b) for b in plan.blockers]
        raise ImportRefused(
            _("导入未提交，什么也没有写入：%(blockers)s"),
            params={
                "blockers": either(
                    "；".join(zh for zh, _en in texts), "; ".join(en for _zh, en in texts)
                )
            },
        )

    earlier = list(
        ImportBatch.objects.select_for_update()
        .filter(cycle=cycle, sha256=batch.sha256, status=B.COMMITTED)
        .exclude(pk=batch.pk)
    )
    old_values = list(
        ImportedValue.objects.filter(batch__in=earlier)
        .select_related("batch")
        .order_by("-batch__committed_at")
    )
    new: dict[Pair, Decimal] = {(p.pk, code): v for p, code, v in plan.triples()}
    pairs: set[Pair] = set(new) | {(iv.participant_id, iv.code) for iv in old_values}
    pids = {p for p, _ in pairs}
    current = {
        (mv.participant_id, mv.code): mv
        for mv in MetricValue.objects.filter(participant_id__in=pids)
        if (mv.participant_id, mv.code) in pairs
    }
    state: dict[Pair, Decimal | None] = {
        pair: (current[pair].value if pair in current else None) for pair in pairs
    }
    # 1. take back what the earlier import of this same file wrote (unless changed since)
    later = _later_writers(cycle, earlier, pairs)
    for iv in old_values:
        pair = (iv.participant_id, iv.code)
        if pair in later and iv.batch.committed_at and later[pair] > iv.batch.committed_at:
            continue  # a later batch wrote this value: it stays the later one's
        if state[pair] is not None and state[pair] == iv.value:
            state[pair] = iv.previous
    previous = dict(state)
    # 2. the new values
    state.update(new)

    people = {p.pk: p for p in Participant.objects.filter(pk__in=pids).select_related("employee")}
    reason = f"导入批次 #{batch.pk}：{batch.file_name}（sha256 {batch.sha256[:12]}）"
    creates: list[MetricValue] = []
    updates: list[MetricValue] = []
    changes: list[tuple[Pair, Decimal | None, Decimal | None, MetricValue | None]] = []
    for pair in sorted(pairs):
        mv = current.get(pair)
        before = mv.value if mv else None
        after = state[pair]
        if before == after:
            continue
        if after is None:
            assert mv is not None and before is not None  # before != after here
            gone = MetricValue(pk=mv.pk, participant_id=pair[0], code=pair[1], value=before)
            changes.append((pair, before, None, gone))
            mv.delete()
        elif mv is None:
            mv = MetricValue(participant_id=pair[0], code=pair[1], value=after)
            creates.append(mv)
            changes.append((pair, None, after, mv))
        else:
            mv.value = after
            updates.append(mv)
            changes.append((pair, before, after, mv))
    MetricValue.objects.bulk_create(creates)
    MetricValue.objects.bulk_update(updates, ["value"])
    for (pid, code), before, after, mv in changes:
        audit_record(
            actor=user,
            entity="data",
            entity_id=mv.pk if mv is not None and mv.pk is not None else "",
            action="import",
            before=None if before is None else {"code": code, "value": before},
            after=None if after is None else {"code": code, "value": after},
            reason=reason,
            cycle_id=cycle.pk,
            employee_id=people[pid].employee_id,
        )

    replaced_ids = [b.pk for b in earlier]
    if earlier:
        ImportedValue.objects.filter(batch__in=earlier).delete()
        for old in earlier:
            old.status = B.REPLACED
            old.replaced_by = batch
            old.save(update_fields=["status", "replaced_by"])
            audit_record(
                actor=user,
                entity="import_batch",
                entity_id=old.pk,
                action="replace",
                before={"status": B.COMMITTED},
                after={"status": B.REPLACED, "replaced_by": batch.pk},
                reason=reason,
                cycle_id=cycle.pk,
            )
    ImportedValue.objects.bulk_create(
        ImportedValue(
            batch=batch, participant_id=pid, code=code, value=v, previous=previous[(pid, code)]
        )
        for (pid, code), v in sorted(new.items())
    )
    for k, v in _counts(plan).items():
        setattr(batch, k, v)
    batch.status = B.COMMITTED
    batch.committed_by = signed_in(user)
    batch.committed_at = timezone.now()
    batch.values_written = len(new)
    batch.save()
    audit_record(
        actor=user,
        entity="import_batch",
        entity_id=batch.pk,
        action="commit",
        after={
            "file": batch.file_name,
            "sha256": batch.sha256,
            "profile": batch.profile,
            "values": len(new),
            "changed": len(changes),
            "replaced_batches": replaced_ids,
        },
        reason=reason,
        cycle_id=cycle.pk,
    )
    return batch


@transaction.atomic
def shop_account_map(
    *, user: UserLike, employee: Employee, account: str, batch: ImportBatch | None = None
) -> ShopAccount:
    """Save an unknown sub-account (``旗舰店:小冰``) on an employee, so the next preview maps it."""
    require_import_data(user=user, employee=employee)
    shop, nick = split_account(account or "")
    if not shop or not nick:
        raise ImportRefused(
            _("子账号“%(account)s”应写成“店铺:子账号”，例如“旗舰店:小冰”。"),
            params={"account": account},
        )
    shop, nick = shop[:64], nick[:64]
    existing = ShopAccount.objects.select_related("employee").filter(shop=shop, nick=nick).first()
    if existing is not None:
        if existing.employee_id == employee.pk:
            return existing
        raise ImportRefused(
            _("子账号“%(account)s”已对应到 %(employee)s；如需更改，请人事行政在后台修改。"),
            params={"account": f"{shop}:{nick}", "employee": existing.employee},
            field="employee",
        )
    sa = ShopAccount.objects.create(employee=employee, shop=shop, nick=nick)
    audit_record(
        actor=user,
        entity="employee",
        entity_id=employee.pk,
        action="shop_account_add",
        after={"shop_account": f"{shop}:{nick}"},
        reason=f"导入批次 #{batch.pk}：{batch.file_name}" if batch else "",
        cycle_id=batch.cycle_id if batch else None,
        employee_id=employee.pk,
    )
    return sa
