"""Customer-service KPIs from raw logs, against figures computed by hand (docs/import.md)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.ingest import ChatKpiConfig, IngestError, import_chatlogs, load_mapping

CHATS = """conversation,customer,agent,role,timestamp,text,auto
C1,B1,旗舰店:小冰,customer,2026-10-01 10:00:00,在吗,0
C1,B1,旗舰店:小冰,customer,2026-10-01 10:00:05,这个有货吗,0
C1,B1,旗舰店:小冰,agent,2026-10-01 10:00:10,您好哦，欢迎光临,1
C1,B1,旗舰店:小冰,agent,2026-10-01 10:00:30,有的哦,0
C1,B1,旗舰店:小冰,customer,2026-10-01 10:01:00,好的,0
C1,B1,旗舰店:小冰,agent,2026-10-01 10:01:20,不知道你说啥,0
C2,B2,旗舰店:小冰,customer,2026-10-02 09:00:00,有人吗,0
C3,B3,旗舰店:小雪,agent,2026-10-03 12:00:00,亲，您的订单还没付款,0
C3,B3,旗舰店:小雪,customer,2026-10-03 12:10:00,马上付,0
C3,B3,,system,2026-10-03 12:10:01,系统提示：买家已付款啊,0
C3,B3,旗舰店:小雪,agent,2026-10-03 12:10:40,好的,0
C4,B4,旗舰店:小冰,customer,2026-10-04 14:00:00,问下尺码,0
C4,B4,旗舰店:小冰,agent,2026-10-04 14:00:50,请稍等，转给同事,0
C4,B4,旗舰店:小冰,customer,2026-10-04 14:01:00,好,0
C4,B4,旗舰店:小雪,agent,2026-10-04 14:03:00,您好我来为您解答,0
C4,B4,旗舰店:小雪,customer,2026-10-04 14:05:00,要L码,0
C4,B4,旗舰店:小雪,agent,2026-10-04 14:05:10,好的,0
C5,B5,旗舰店:小雪,customer,2026-10-05 23:59:00,在吗,0
C5,B5,旗舰店:小雪,agent,2026-10-06 00:01:00,在的,0
C5,B5,旗舰店:小雪,customer,2026-10-06 10:00:00,发货了吗,0
C5,B5,旗舰店:小雪,agent,2026-10-06 10:20:00,已发啊,0
C6,B6,旗舰店:小冰,customer,2026-09-30 20:00:00,能便宜吗,0
C6,B6,旗舰店:小冰,agent,2026-09-30 20:00:30,不能哦,0
C7,B7,旗舰店:小王,customer,2026-10-07 10:00:00,在吗,0
C7,B7,旗舰店:小王,agent,2026-10-07 10:00:05,在,0
"""

ORDERS = """order_id,buyer,amount,created,paid,refunded,refund_amount
O1,B1,100.00,2026-10-01 10:05:00,2026-10-01 10:06:00,,
O3,B3,200.00,2026-10-03 11:00:00,2026-10-03 12:15:00,,
O4,B4,300.00,2026-10-04 15:00:00,2026-10-04 15:01:00,2026-10-20 09:00:00,300.00
O5,B5,50.00,2026-10-06 00:05:00,2026-10-06 00:06:00,2026-11-03 09:00:00,50.00
O6,B6,80.00,2026-10-01 09:00:00,2026-10-01 09:01:00,,
O8,B1,999.00,2026-10-01 11:00:00,,,
"""

MAPPING = "shop,sub_account,employee,name\n旗舰店,小冰,E001,陈晓峰\n旗舰店,小雪,E002,林雨桐\n"


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path, Path]:
    chats, orders, mapping = tmp_path / "chats.csv", tmp_path / "orders.csv", tmp_path / "map.csv"
    chats.write_text(CHATS, encoding="utf-8")
    orders.write_text(ORDERS, encoding="utf-8")
    mapping.write_text(MAPPING, encoding="utf-8")
    return chats, orders, mapping


def _rows(result):  # employee → row dict
    return {r["employee"]: r for r in result.kpis.table.iter_rows(named=True)}


def test_hand_computed_kpis(files):
    chats, orders, mapping = files
    res = import_chatlogs(chats, orders, ChatKpiConfig("2026-10"), mapping=load_mapping(mapping))
    rows = _rows(res)
    assert set(rows) == {"E001", "E002"}
    e1, e2 = rows["E001"], rows["E002"]
    # E001: blocks C1×2 (30 s, 20 s), C2 (never answered), C4 first block (50 s).
    assert (e1["served_customers"], e1["replied_customers"]) == (3, 2)
    assert e1["reply_rate"] == Decimal("0.6667")
    assert e1["response_pairs"] == 3
    assert e1["avg_response_seconds"] == Decimal("33.33")
    assert e1["first_response_seconds"] == Decimal("40.00")  # C1 30 s, C4 50 s
    assert e1["inquiries"] == 3
    assert (e1["paid_buyers"], e1["sales"]) == (1, Decimal("100.00"))  # O1; O6 belongs to September
    assert e1["consult_conversion_rate"] == Decimal("0.3333")
    assert e1["avg_order_value"] == Decimal("100.00")
    assert e1["refund_rate"] == Decimal("0")
    assert e1["violation_count"] == 3  # 哦 + 不知道 + 你; the auto-reply's 哦 is not counted
    assert e1["name"] == "陈晓峰"
    # E002: C3 (agent wrote first, 40 s), C4 after transfer (120 s, 10 s), C5 cross-day
    # (excluded from times, still replied) and a 1200 s reply capped at 600 s.
    assert (e2["served_customers"], e2["replied_customers"]) == (3, 3)
    assert e2["reply_rate"] == Decimal("1")
    assert e2["response_pairs"] == 4
    assert e2["avg_response_seconds"] == Decimal("192.50")
    assert e2["first_response_seconds"] == Decimal("40.00")
    assert e2["inquiries"] == 3
    # O3 was created before the consultation; O4 goes to the last agent consulted (transfer).
    assert (e2["paid_buyers"], e2["sales"]) == (2, Decimal("350.00"))
    assert e2["avg_order_value"] == Decimal("175.00")
    assert e2["consult_conversion_rate"] == Decimal("0.6667")
    # O4 refunded inside the period; O5's refund on 11-03 is after it.
    assert (e2["refunded_buyers"], e2["refund_amount"]) == (1, Decimal("300.00"))
    assert e2["refund_rate"] == Decimal("0.5")
    assert e2["violation_count"] == 1  # 已发啊; the system message's 啊 is not an agent's
    assert res.kpis.unmatched_accounts == (("旗舰店:小王", 1),)


def test_window_and_after_sale_settings(files):
    chats, orders, mapping = files
    cfg = ChatKpiConfig("2026-10", window_hours=1, response_cap_seconds=60)
    rows = _rows(import_chatlogs(chats, orders, cfg, mapping=load_mapping(mapping)))
    # O5 was paid 6 min after the 23:59 consultation: still inside a 1 h window.
    assert rows["E002"]["paid_buyers"] == 2
    # cap 60 s: 40, 60 (120 capped), 10, 60 (1200 capped) → 170 / 4
    assert rows["E002"]["avg_response_seconds"] == Decimal("42.50")
    cfg = ChatKpiConfig("2026-10", after_sale_days=0)
    rows = _rows(import_chatlogs(chats, orders, cfg, mapping=load_mapping(mapping)))
    assert rows["E002"]["inquiries"] == 3  # B5 is still one customer


def test_gbk_logs_and_chinese_headers(files, tmp_path):
    _, orders, mapping = files
    text = (
        CHATS.replace(
            "conversation,customer,agent,role,timestamp,text,auto",
            "会话ID,买家,客服,发送方,时间,内容,自动回复",
        )
        .replace(",customer,", ",买家,")
        .replace(",agent,", ",客服,")
        .replace(",system,", ",系统,")
    )
    gbk = tmp_path / "chats_gbk.csv"
    gbk.write_bytes(text.encode("gb18030"))
    res = import_chatlogs(gbk, orders, ChatKpiConfig("2026-10"), mapping=load_mapping(mapping))
    assert _rows(res)["E001"]["violation_count"] == 3
    assert _rows(res)["E002"]["avg_response_seconds"] == Decimal("192.50")


def test_bad_rows_are_reported_not_guessed(files, tmp_path):
    _, orders, mapping = files
    bad = tmp_path / "bad.csv"
    bad.write_text(
        CHATS
        + "C9,B9,旗舰店:小冰,customer,10/32/2026,hi,0\nC9,B9,旗舰店:小冰,robot,2026-10-09 10:00:00,x,0\n",
        encoding="utf-8",
    )
    res = import_chatlogs(bad, orders, ChatKpiConfig("2026-10"), mapping=load_mapping(mapping))
    assert res.rejected_count == 2
    texts = [str(i) for i in res.rejected]
    assert any("第 27 行" in t and "10/32/2026" in t for t in texts)
    assert any("第 28 行" in t and "robot" in t for t in texts)
    assert res.problems(strict=True)
    assert res.problems(strict=False) == ()


def test_without_mapping_accounts_are_the_ids(files):
    chats, orders, _ = files
    res = import_chatlogs(chats, orders, ChatKpiConfig("2026-10"))
    assert set(_rows(res)) == {"旗舰店:小冰", "旗舰店:小雪", "旗舰店:小王"}
    assert res.kpis.warnings


def test_duplicate_order_ids_are_refused(files, tmp_path):
    chats, _, mapping = files
    dup = tmp_path / "dup.csv"
    dup.write_text(
        ORDERS + "O1,B1,100.00,2026-10-01 10:05:00,2026-10-01 10:06:00,,\n", encoding="utf-8"
    )
    with pytest.raises(IngestError, match="O1"):
        import_chatlogs(chats, dup, ChatKpiConfig("2026-10"), mapping=load_mapping(mapping))


def test_missing_columns_and_bad_period(files, tmp_path):
    chats, orders, _ = files
    broken = tmp_path / "broken.csv"
    broken.write_text("conversation,customer\nC1,B1\n", encoding="utf-8")
    with pytest.raises(IngestError, match="缺少必需的列"):
        import_chatlogs(broken, orders, ChatKpiConfig("2026-10"))
    with pytest.raises(IngestError, match="YYYY-MM"):
        import_chatlogs(chats, orders, ChatKpiConfig("2026-13"))


def test_file_order_does_not_matter(files, tmp_path):
    chats, orders, mapping = files
    header, *lines = CHATS.strip().split("\n")
    shuffled = tmp_path / "shuffled.csv"
    shuffled.write_text("\n".join([header, *reversed(lines)]) + "\n", encoding="utf-8")
    expected = _rows(
        import_chatlogs(chats, orders, ChatKpiConfig("2026-10"), mapping=load_mapping(mapping))
    )
    got = _rows(
        import_chatlogs(shuffled, orders, ChatKpiConfig("2026-10"), mapping=load_mapping(mapping))
    )
    assert got == expected


def test_export_style_amounts_and_times(files, tmp_path):
    chats, _, mapping = files
    styled = tmp_path / "orders.csv"
    styled.write_text(
        ORDERS.replace("300.00,2026-10-04 15:00:00", '"¥300.00",2026/10/04 15:00:00').replace(
            "O1,B1,100.00", 'O1,B1,"1,00.00"'
        ),
        encoding="utf-8",
    )
    res = import_chatlogs(chats, styled, ChatKpiConfig("2026-10"), mapping=load_mapping(mapping))
    # "1,00.00" is not a number an export writes: O1 is rejected, never read as 100 or 1.
    assert res.rejected_count == 1 and "1,00.00" in str(res.rejected[0])
    rows = _rows(res)
    assert rows["E002"]["sales"] == Decimal("350.00")  # ¥300.00 with a slash-dated creation
    assert rows["E001"]["paid_buyers"] == 0
