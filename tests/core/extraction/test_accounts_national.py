"""决算 tables in the national layout (issue 13): 类 / 款 / 项 rows each with its own amounts, codes in one
column or split into 类 / 款 / 项 columns, the 合计 figures printed on the line above their label, blank cells
in filled rows, 科目 tables over a page break — read from the fixture packages ``national_clean_2024`` and
``national_injected_2024`` (tools/fixtures/national.py), compared with what the generator printed.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from tools.evaluation_findings import coverage
from core.model import Severity
from core.pipeline import extract_case

PACKAGES = Path(__file__).resolve().parents[2] / "data" / "packages"
NAMES = ("national_clean_2024", "national_injected_2024")
_cache: dict[str, tuple] = {}


def load(name: str):
    if name not in _cache:
        d = PACKAGES / name
        expected = json.loads((d / "expected.json").read_text(encoding="utf-8"))
        _cache[name] = (extract_case([d / doc["file"] for doc in expected["documents"]]), expected)
    return _cache[name]


@pytest.mark.parametrize("name", NAMES)
def test_every_account_line_with_its_level_and_every_column(name):
    case, expected = load(name)
    got = {(ln.table, ln.code): ln for ln in case.account_lines}
    assert len(expected["account_lines"]) >= 40
    levels = set()
    for e in expected["account_lines"]:
        ln = got[(e["table"], e["code"])]
        assert (ln.name, ln.level) == (e["name"], e["level"]), e
        levels.add(ln.level)
        for col, v in e["columns"].items():
            if v is None:  # a blank cell of a row that prints figures: a printed zero, raw as printed
                assert ln.columns[col] == 0 and ln.raw[col] == "", (e, col)
            else:
                assert ln.columns[col] == Decimal(v), (e, col)
    assert levels == {"类", "款", "项"}


@pytest.mark.parametrize("name", NAMES)
def test_totals_printed_above_their_label_are_read(name):
    case, expected = load(name)
    want = {f["key"]: Decimal(f["value"]) for f in expected["fields"]
            if f["key"].split(".")[1] in ("t02", "t03", "t05") and f["key"].count(".") == 2}
    assert {"accounts.t03.total", "accounts.t05.total", "accounts.t02.total"} <= set(want)
    for key, value in want.items():
        table, col = key.split(".")[1:]
        (total,) = [ln for ln in case.account_lines if ln.table == table and not ln.code]
        assert total.columns[col] == value, key
        assert [f.value for f in case.all(key) if not f.attrs.get("blank")] == [value]
    # 收入支出决算总表: both 总计 printed on the line above their labels
    for key in ("accounts.t01.grand_total", "accounts.t01.grand_total_expense"):
        (e,) = [f for f in expected["fields"] if f["key"] == key]
        assert [(f.value, f.page) for f in case.all(key)] == [(Decimal(e["value"]), e["page"])]


def test_codes_split_into_lei_kuan_xiang_columns_are_whole_codes():
    case, _ = load("national_injected_2024")
    t03 = [ln for ln in case.account_lines if ln.table == "t03" and ln.code]
    assert [ln.code for ln in t03][:5] == ["208", "20802", "2080201", "2080202", "2080208"]
    # 款 rows print only their own part ("02"): the 类 above is inherited
    assert {ln.code[:3] for ln in t03 if ln.level == "款"} <= {ln.code for ln in t03 if ln.level == "类"}


@pytest.mark.parametrize("name", NAMES)
def test_subject_tables_continue_over_the_page_break(name):
    case, expected = load(name)
    doc = next(d for d in expected["documents"] if "决算" in d["file"])
    pages = doc["layout"]["tables_over_pages"]["公开03"]
    t03_pages = {ln.source.page for ln in case.account_lines if ln.table == "t03"}
    assert set(pages) <= t03_pages


def test_a_package_whose_national_tables_agree_has_no_error_and_no_accounts_finding():
    case, _ = load("national_clean_2024")
    assert [f.message for f in case.findings if f.severity is Severity.ERROR] == []
    assert [f.message for f in case.findings if f.check.startswith("accounts.")] == []


def test_each_injected_table_error_is_named_and_levels_are_never_summed_together():
    case, expected = load("national_injected_2024")
    c = coverage(case, {"injected": expected["injected"]})
    assert not c.missed, c.missed
    by_check = {}
    for f in case.findings:
        by_check.setdefault(f.check, []).append(f)
    for e in expected["injected"]:
        assert any(f.severity is Severity.ERROR for f in by_check.get(e["check_family"], [])), e["id"]
    # the 合计 of 公开05 is compared with Σ 类 (one level), and every other 合计 agrees with its 类 rows
    (t05,) = [f for f in by_check["accounts.i05b"] if "“合计”" in f.message]
    assert "各类级科目（2行）" in t05.message or "各类级科目（3行）" in t05.message
    assert not [f for f in by_check.get("accounts.i03b", []) if "“合计”" in f.message]
    # only the injected tables are named: no accounts finding about a table left as printed
    tables = {f.message[:12] for fs in by_check.values() for f in fs if f.check.startswith("accounts.")}
    assert all(any(t in m for t in ("收入决算表", "支出决算表", "一般公共预算财政拨款支出")) for m in tables), tables


def test_level1_weights_come_out_as_numbers():
    for name in NAMES:
        case, _ = load(name)
        weights = list(case.with_prefix("selfeval.level1_weight."))
        assert weights and all(isinstance(f.value, Decimal) for f in weights)
        assert sum(f.value for f in weights) + sum(  # the 一级 weights plus 预算执行率 make 100
            (f.value for f in case.all("selfeval.funds.weight")), Decimal(0)) in (Decimal(90), Decimal(100))


@pytest.mark.parametrize("printed", ["产出指标（40分）", "产出指标(40 分)", "产出指标 (40分)", "产出指标 40分",
                                     "产出指标（分值：40）", "产出指标（40）"])
def test_a_level1_weight_printed_in_its_label_is_the_number(printed):
    from core.extraction.selfeval_sheet import _split_level1

    assert _split_level1(printed) == ("产出指标", Decimal(40))
    assert _split_level1("满意度指标") == ("满意度指标", None)
