"""Import profiles: shipped ones recognise their own headers; bad profiles are refused."""

from __future__ import annotations

import pytest

from jixiao.files import DocumentSyntaxError
from jixiao.ingest import IngestError, detect_profile, load_profile, load_profiles, shipped_profiles

EXPECTED = {
    "cs_subaccount",
    "shop_traffic",
    "ads",
    "livestream",
    "finance_sales",
    "attendance",
    "new_media",
    "short_video",
}


def test_all_shipped_profiles_load():
    assert {p.code for p in shipped_profiles()} == EXPECTED


@pytest.mark.parametrize("profile", shipped_profiles(), ids=lambda p: p.code)
def test_each_profile_detects_its_own_headers(profile):
    header = [profile.person.aliases[0], *(c.aliases[0] for c in profile.columns), "备注"]
    match = detect_profile(header, shipped_profiles(), file="x.csv")
    assert match.profile.code == profile.code
    assert match.unmatched_headers == ("备注",)


def test_issue_headers_are_covered():
    by_code = {p.code: p for p in shipped_profiles()}

    def aliases(code):
        return {a for c in by_code[code].columns for a in c.aliases}

    assert {
        "接待人数",
        "询单人数",
        "最终付款人数",
        "询单转化率",
        "销售额",
        "客单价",
        "首次响应时间",
        "平均响应时间",
        "回复率",
    } <= aliases("cs_subaccount")
    assert {
        "访客数",
        "浏览量",
        "支付买家数",
        "支付转化率",
        "客单价",
        "跳失率",
        "平均停留时长",
    } <= aliases("shop_traffic")
    assert {"展现", "点击", "花费", "成交金额", "ROI", "CTR", "PPC"} <= aliases("ads")
    assert {"观看人数", "场观", "直播时长", "互动人数", "新增粉丝", "GMV"} <= aliases("livestream")
    assert {"应出勤天数", "实际出勤天数", "迟到早退次数", "请假天数", "旷工天数"} <= aliases(
        "attendance"
    )


def test_no_match_names_closest_profiles_and_unmatched_headers():
    with pytest.raises(IngestError) as exc:
        detect_profile(["旺旺", "接待人数", "神秘指标"], shipped_profiles(), file="x.csv")
    text = str(exc.value)
    assert "cs_subaccount" in text and "“神秘指标”" in text and "--profile" in text


def test_user_profile_short_form(tmp_path):
    p = tmp_path / "mine.yaml"
    p.write_text(
        "code: my_sheet\nname: 我的表\nperson: {by: employee, aliases: [工号]}\n"
        "columns:\n  tickets: [工单数]\n  csat: {aliases: [满意度], kind: percent, weight: tickets}\n",
        encoding="utf-8",
    )
    prof = load_profile(p)
    assert [c.code for c in prof.columns] == ["tickets", "csat"]
    assert prof.columns[0].kind == "number"
    assert {x.code for x in load_profiles([tmp_path])} == EXPECTED | {"my_sheet"}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("columns:\n  Bad-Code: [x, y]\n", "snake_case"),
        ("columns:\n  a: [同名]\n  b: [同名]\n", "同时指向"),
        ("columns:\n  a: {aliases: [甲], kind: percent, weight: nope}\n", "weight"),
        ("columns:\n  a: {aliases: [甲], kind: money, agg: median}\n", "agg"),
        ("columns:\n  a: {aliases: [甲], kindd: money}\n", "kindd"),
    ],
)
def test_bad_profiles_are_refused(tmp_path, body, message):
    p = tmp_path / "bad.yaml"
    p.write_text(
        "code: bad\nname: 坏\nperson: {by: employee, aliases: [工号]}\n" + body, encoding="utf-8"
    )
    with pytest.raises(IngestError, match=message):
        load_profile(p)


def test_profile_code_clash_with_shipped(tmp_path):
    p = tmp_path / "ads.yaml"
    p.write_text(
        "code: ads\nname: 重名\nperson: {by: employee, aliases: [工号]}\ncolumns:\n  a: [甲]\n",
        encoding="utf-8",
    )
    with pytest.raises(IngestError, match="代码重复"):
        load_profiles([p])


def test_not_yaml(tmp_path):
    p = tmp_path / "x.yaml"
    p.write_text("code: [unclosed\n", encoding="utf-8")
    with pytest.raises(DocumentSyntaxError, match="第 2 行第 1 列：不是有效的 YAML"):
        load_profile(p)
