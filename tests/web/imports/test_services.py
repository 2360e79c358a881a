"""Import services: preview writes nothing, commit is one transaction, re-import replaces."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from jixiao.web.audit.models import AuditEntry
from jixiao.web.cycles import services as cs
from jixiao.web.cycles.models import CycleFrozenError, MetricValue
from jixiao.web.cycles.services import CycleError
from jixiao.web.imports import services as imp
from jixiao.web.imports.models import ImportBatch, ImportedValue
from jixiao.web.imports.selectors import ImportRefused, import_plan
from jixiao.web.org.models import ShopAccount

from ..factories import make_cycle, participant, walk
from .helpers import ROWS, csv_bytes, map_accounts, xlsx_bytes


@pytest.fixture
def running(org):
    cycle = walk(org, make_cycle(org), "running")
    map_accounts(org)
    return cycle


def values(cycle) -> dict[tuple[str, str], Decimal]:
    return {
        (number, code): v
        for number, code, v in MetricValue.objects.filter(participant__cycle=cycle).values_list(
            "participant__employee__number", "code", "value"
        )
    }


def upload_commit(org, cycle, data: bytes, who: str = "hr", name: str = "客服.csv"):
    batch, _plan = imp.import_batch_upload(
        user=org.user(who), cycle=cycle, data=data, file_name=name
    )
    return imp.import_batch_commit(user=org.user(who), batch=batch)


def test_plan_and_upload_write_no_values(org, running):
    audits = AuditEntry.objects.count()
    plan = import_plan(user=org.hr.user, cycle=running, data=csv_bytes(), file_name="客服.csv")
    assert (ImportBatch.objects.count(), MetricValue.objects.count()) == (0, 0)
    assert AuditEntry.objects.count() == audits
    pv = plan.preview
    assert pv.profile == "cs_subaccount" and pv.encoding == "gb18030"
    assert pv.rows_read == 6 and len(pv.rejected) == 1
    bad = pv.rejected[0]
    assert (bad.file, bad.row, bad.column, bad.raw) == ("客服.csv", 6, "接待人数", "很多")
    assert [u.account for u in pv.unmatched] == ["旗舰店:小王"]
    assert {r.participant.employee.number: r.values for r in plan.rows} == {
        "E011": {
            "served_customers": Decimal("150.0000"),
            "sales": Decimal("1834.5000"),
            "reply_rate": Decimal("0.9867"),
        },
        "E021": {
            "served_customers": Decimal("30.0000"),
            "sales": Decimal("300.0000"),
            "reply_rate": Decimal("0.9000"),
        },
    }
    batch, _ = imp.import_batch_upload(
        user=org.hr.user, cycle=running, data=csv_bytes(), file_name="客服.csv"
    )
    assert batch.status == ImportBatch.Status.PREVIEW and batch.rows_rejected == 1
    assert bytes(batch.content) == csv_bytes() and batch.sha256 == pv.sha256
    assert MetricValue.objects.count() == 0 and ImportedValue.objects.count() == 0
    assert not AuditEntry.objects.filter(entity="data").exists()
    # the same upload again reuses the pending batch
    again, _ = imp.import_batch_upload(
        user=org.hr.user, cycle=running, data=csv_bytes(), file_name="客服.csv"
    )
    assert again.pk == batch.pk and ImportBatch.objects.count() == 1


def test_commit_writes_values_and_audits_each(org, running):
    batch = upload_commit(org, running, csv_bytes())
    assert batch.status == ImportBatch.Status.COMMITTED and batch.values_written == 6
    assert values(running) == {
        ("E011", "served_customers"): Decimal(150),
        ("E011", "sales"): Decimal("1834.5"),
        ("E011", "reply_rate"): Decimal("0.9867"),
        ("E021", "served_customers"): Decimal(30),
        ("E021", "sales"): Decimal(300),
        ("E021", "reply_rate"): Decimal("0.9"),
    }
    entries = AuditEntry.objects.filter(entity="data", action="import")
    assert entries.count() == 6
    e = entries.get(employee_id=org.employee.pk, after__code="sales")
    assert e.before is None and e.after["value"] == "1834.5000"
    assert f"导入批次 #{batch.pk}" in e.reason and e.actor == org.hr.user
    assert AuditEntry.objects.filter(entity="import_batch", action="commit").count() == 1
    with pytest.raises(ImportRefused, match="已提交"):
        imp.import_batch_commit(user=org.hr.user, batch=batch)


def test_commit_is_one_transaction(org, running, monkeypatch):
    batch, _ = imp.import_batch_upload(
        user=org.hr.user, cycle=running, data=csv_bytes(), file_name="客服.csv"
    )
    calls = {"n": 0}
    real = imp.audit_record

    def failing(**kw):
        calls["n"] += 1
        if calls["n"] == 4:
            raise RuntimeError("disk full")
        return real(**kw)

    monkeypatch.setattr(imp, "audit_record", failing)
    with pytest.raises(RuntimeError):
        imp.import_batch_commit(user=org.hr.user, batch=batch)
    assert MetricValue.objects.count() == 0 and ImportedValue.objects.count() == 0
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEW
    assert not AuditEntry.objects.filter(entity="data").exists()


def test_reimport_same_file_replaces_not_adds(org, running):
    first = upload_commit(org, running, csv_bytes())
    before_values = values(running)
    audits = AuditEntry.objects.filter(entity="data").count()
    second = upload_commit(org, running, csv_bytes())
    assert values(running) == before_values  # not doubled
    assert MetricValue.objects.count() == 6
    assert ImportedValue.objects.count() == 6
    assert set(ImportedValue.objects.values_list("batch_id", flat=True)) == {second.pk}
    first.refresh_from_db()
    assert first.status == ImportBatch.Status.REPLACED and first.replaced_by_id == second.pk
    # nothing changed, so no value audit entries were added
    assert AuditEntry.objects.filter(entity="data").count() == audits
    # a third time: still the same numbers and counts
    upload_commit(org, running, csv_bytes())
    assert values(running) == before_values and ImportedValue.objects.count() == 6
    assert ImportBatch.objects.filter(status=ImportBatch.Status.COMMITTED).count() == 1


def test_reimport_takes_back_what_the_earlier_batch_wrote(org, running):
    """小雪 moves to another employee between two imports of the same file: the old
    person's value goes back to what it was before the first import."""
    p = participant(running, org.outsider)
    cs.metric_set(user=org.hr.user, participant=p, code="served_customers", value="5")
    upload_commit(org, running, csv_bytes())
    assert values(running)[("E021", "served_customers")] == 30
    ShopAccount.objects.filter(nick="小雪").update(employee=org.peer)
    upload_commit(org, running, csv_bytes())
    v = values(running)
    assert v[("E021", "served_customers")] == 5  # restored, not 30, not 35
    assert ("E021", "sales") not in v  # did not exist before the first import
    assert v[("E012", "served_customers")] == 30 and v[("E012", "sales")] == 300
    gone = AuditEntry.objects.get(
        entity="data", employee_id=org.outsider.pk, before__code="sales", after__isnull=True
    )
    assert gone.entity_id and gone.before["value"].startswith("300")
    assert ImportedValue.objects.count() == 6


def test_different_file_is_a_separate_batch_and_later_wins(org, running):
    a = upload_commit(org, running, csv_bytes())
    rows_b = [["旗舰店", "小冰", "70", "700", "50%"]]
    b = upload_commit(org, running, csv_bytes(rows_b), name="更正.csv")
    assert a.sha256 != b.sha256
    assert {x.status for x in ImportBatch.objects.all()} == {ImportBatch.Status.COMMITTED}
    v = values(running)
    assert v[("E011", "served_customers")] == 70 and v[("E011", "sales")] == 700
    assert v[("E021", "served_customers")] == 30  # only in file A: stays
    # re-importing A later makes A's values the latest again (later committed wins)
    upload_commit(org, running, csv_bytes())
    assert values(running)[("E011", "served_customers")] == 150
    upload_commit(org, running, csv_bytes(rows_b), name="更正.csv")
    assert values(running)[("E011", "sales")] == 700
    assert ImportBatch.objects.filter(status=ImportBatch.Status.COMMITTED).count() == 2


def test_xlsx_with_title_rows(org, running):
    batch = upload_commit(org, running, xlsx_bytes(), name="客服.xlsx")
    assert batch.profile == "cs_subaccount" and batch.rows_read == 6
    assert values(running)[("E011", "sales")] == Decimal("1834.5")


def test_archived_cycle_is_refused(org):
    cycle = walk(org, make_cycle(org), "archived")
    map_accounts(org)
    with pytest.raises(CycleFrozenError, match="已归档"):
        imp.import_batch_upload(user=org.hr.user, cycle=cycle, data=csv_bytes(), file_name="a.csv")
    assert (
        ImportBatch.objects.count() == 0 and MetricValue.objects.filter(code="sales").count() == 0
    )


def test_pending_batch_cannot_be_committed_once_data_is_frozen(org, running):
    batch, _ = imp.import_batch_upload(
        user=org.hr.user, cycle=running, data=csv_bytes(), file_name="a.csv"
    )
    walk(org, running, "review")
    with pytest.raises(CycleError, match="部门审核"):
        imp.import_batch_commit(user=org.hr.user, batch=batch)
    assert not MetricValue.objects.filter(code="sales").exists()
    walk(org, running, "archived")
    with pytest.raises(CycleFrozenError):
        imp.import_batch_commit(user=org.hr.user, batch=batch)


def test_states_without_data_entry_are_refused(org):
    cycle = walk(org, make_cycle(org), "planning")
    with pytest.raises(CycleError, match="不能导入数据"):
        imp.import_batch_upload(user=org.hr.user, cycle=cycle, data=csv_bytes(), file_name="a.csv")
    assert ImportBatch.objects.count() == 0


def _bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"0" * (20 * 2**20))
    return buf.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_bomb(), "压缩炸弹"),
        (b"PK\x03\x04 not really a zip", "已损坏"),
        (b"\x00\x01\x02binary", "不是 CSV 或 XLSX"),
        (b"   \n", "文件是空的"),
        ("姓名,爱好\n张三,唱歌\n".encode(), "导入方案"),
        (csv_bytes() * 40, "文件太大"),
    ],
)
def test_bad_files_leave_nothing_behind(org, running, settings, data, message):
    if message == "文件太大":
        settings.JIXIAO_IMPORT_MAX_BYTES = 4000
    audits = AuditEntry.objects.count()
    with pytest.raises(ImportRefused, match=message):
        imp.import_batch_upload(user=org.hr.user, cycle=running, data=data, file_name="bad.xlsx")
    assert ImportBatch.objects.count() == 0 and MetricValue.objects.count() == 0
    assert AuditEntry.objects.count() == audits


def test_unknown_account_mapping_flow(org, running):
    batch, plan = imp.import_batch_upload(
        user=org.hr.user, cycle=running, data=csv_bytes(), file_name="a.csv"
    )
    assert [u.account for u in plan.preview.unmatched] == ["旗舰店:小王"]
    imp.shop_account_map(user=org.hr.user, employee=org.peer, account="旗舰店:小王", batch=batch)
    sa = ShopAccount.objects.get(shop="旗舰店", nick="小王")
    assert sa.employee == org.peer
    entry = AuditEntry.objects.get(entity="employee", action="shop_account_add")
    assert entry.employee_id == org.peer.pk and entry.after == {"shop_account": "旗舰店:小王"}
    assert f"#{batch.pk}" in entry.reason
    # mapping twice is harmless; to another person is refused
    imp.shop_account_map(user=org.hr.user, employee=org.peer, account="旗舰店:小王")
    with pytest.raises(ImportRefused, match="已对应到"):
        imp.shop_account_map(user=org.hr.user, employee=org.head, account="旗舰店:小王")
    with pytest.raises(ImportRefused, match="店铺:子账号"):
        imp.shop_account_map(user=org.hr.user, employee=org.head, account="小王")
    # a head maps only people of their own department
    with pytest.raises(PermissionDenied):
        imp.shop_account_map(user=org.head.user, employee=org.outsider, account="旗舰店:阿花")
    with pytest.raises(PermissionDenied):
        imp.shop_account_map(user=org.employee.user, employee=org.employee, account="旗舰店:阿花")
    # the commit reads the stored file again with the new mapping
    imp.import_batch_commit(user=org.hr.user, batch=batch)
    v = values(running)
    assert v[("E012", "served_customers")] == 20 and v[("E012", "sales")] == 200


def test_head_imports_only_own_people(org, running):
    batch, plan = imp.import_batch_upload(
        user=org.head.user, cycle=running, data=csv_bytes(), file_name="a.csv"
    )
    assert [(n, why) for n, _name, why in plan.outside] == [
        ("", "1 人不是您可以录入数据的员工，不导入（不显示其工号和姓名；请人事行政导入）")
    ]
    imp.import_batch_commit(user=org.head.user, batch=batch)
    assert {n for n, _ in values(running)} == {"E011"}
    with pytest.raises(PermissionDenied):
        imp.import_batch_upload(
            user=org.employee.user, cycle=running, data=csv_bytes(), file_name="a.csv"
        )


def test_discard_pending_batch(org, running):
    batch, _ = imp.import_batch_upload(
        user=org.hr.user, cycle=running, data=csv_bytes(ROWS[:1]), file_name="a.csv"
    )
    imp.import_batch_discard(user=org.hr.user, batch=batch)
    assert ImportBatch.objects.count() == 0
    done = upload_commit(org, running, csv_bytes())
    with pytest.raises(ImportRefused, match="不能删除"):
        imp.import_batch_discard(user=org.hr.user, batch=done)


def test_replacement_keeps_values_a_later_batch_wrote(org, running):
    upload_commit(org, running, csv_bytes())
    upload_commit(org, running, csv_bytes([["旗舰店", "小雪", "40", "", ""]]), name="b.csv")
    assert values(running)[("E021", "served_customers")] == 40
    ShopAccount.objects.filter(nick="小雪").update(employee=org.peer)
    upload_commit(org, running, csv_bytes())
    v = values(running)
    assert v[("E021", "served_customers")] == 40  # B's value stays: B was committed later
    assert ("E021", "sales") not in v  # A's own value is taken back
    assert v[("E012", "served_customers")] == 30


def test_manual_correction_after_import(org, running):
    upload_commit(org, running, csv_bytes())
    p = participant(running, org.employee)
    cs.metric_set(user=org.hr.user, participant=p, code="sales", value="2000")
    upload_commit(org, running, csv_bytes())  # the later commit wins again
    assert values(running)[("E011", "sales")] == Decimal("1834.5")
    e = AuditEntry.objects.filter(entity="data", action="import").latest("id")
    assert e.after["code"] == "sales" and Decimal(e.before["value"]) == 2000


def test_only_hr_or_the_uploader_commits_a_batch(org, running):
    batch, _ = imp.import_batch_upload(
        user=org.hr.user, cycle=running, data=csv_bytes(), file_name="a.csv"
    )
    for who in ("head", "supervisor", "employee"):
        with pytest.raises(PermissionDenied):
            imp.import_batch_commit(user=org.user(who), batch=batch)
        with pytest.raises(PermissionDenied):
            imp.import_batch_discard(user=org.user(who), batch=batch)
    assert MetricValue.objects.count() == 0
