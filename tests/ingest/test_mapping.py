"""Sub-account mapping: per shop, CSV or YAML, conflicts refused."""

from __future__ import annotations

import pytest

from jixiao.ingest import IngestError, load_mapping, split_account


def test_split_account():
    assert split_account("旗舰店:小冰") == ("旗舰店", "小冰")
    assert split_account("旗舰店：小冰") == ("旗舰店", "小冰")
    assert split_account("小冰", "专卖店") == ("专卖店", "小冰")
    assert split_account("小冰") == (None, "小冰")


def test_csv_mapping_is_per_shop(tmp_path):
    p = tmp_path / "m.csv"
    p.write_text(
        "店铺,子账号,工号,姓名\n旗舰店,小冰,E001,陈晓峰\n专卖店,小冰,E009,王芳\n", encoding="utf-8"
    )
    m = load_mapping(p)
    assert m.by_account("旗舰店:小冰").employee == "E001"
    assert m.by_account("小冰", "专卖店").employee == "E009"
    assert "多个店铺" in (m.by_account("小冰").reason or "")
    assert m.by_account("旗舰店:小王").employee is None
    assert m.by_name("王芳").employee == "E009"
    assert m.name_of("E001") == "陈晓峰"


def test_bare_sub_account_unique_across_shops(tmp_path):
    p = tmp_path / "m.yaml"
    p.write_text('"旗舰店:小冰": E001\n"旗舰店:小雪": E002\n', encoding="utf-8")
    assert load_mapping(p).by_account("小雪").employee == "E002"


def test_yaml_records(tmp_path):
    p = tmp_path / "m.yaml"
    p.write_text(
        "accounts:\n  - {shop: 旗舰店, sub_account: 小冰, employee: E001, name: 陈晓峰}\n",
        encoding="utf-8",
    )
    look = load_mapping(p).by_account("旗舰店:小冰")
    assert (look.employee, look.name) == ("E001", "陈晓峰")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "shop,sub_account,employee\n旗舰店,小冰,E001\n旗舰店,小冰,E002\n",
            "一个子账号只能对应一名员工",
        ),
        ("shop,sub_account,employee\n,小冰,E001\n", "缺少店铺"),
        ("shop,sub_account,employee\n旗舰店,小冰,\n", "缺少员工编号"),
        ("shop,sub_account\n旗舰店,小冰\n", "缺少 employee"),
    ],
)
def test_bad_mappings_are_refused(tmp_path, text, message):
    p = tmp_path / "m.csv"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(IngestError, match=message):
        load_mapping(p)
