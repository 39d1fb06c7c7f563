"""The 决算 table identities (core.checks.accounts), each with its input written in the test.

Seed 001 (天元区委组织部, tables in 元) is built from ``../shared/seeds/001_*.txt``: every identity holds on its
real numbers, so it must give no finding.  The Shanghai 普陀 社会工作部 决算 (万元) has real 0.01 differences
between rounded figures: they must come out as warnings, never errors.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from core.checks import accounts
from core.model import AccountLine, Case, DocumentInfo, Field, Severity, SourceRef

BOX = (100.0, 200.0, 160.0, 212.0)


def F(key: str, value: str, unit: str = "元", page: int = 5, doc: str = "d1", **attrs) -> Field:
    return Field(key=key, value=D(value), unit=unit, raw=value, source=SourceRef(doc, page, BOX), form="决算",
                 attrs=attrs)


def L(table: str, code: str, name: str, unit: str = "元", page: int = 6, **cols: str | None) -> AccountLine:
    return AccountLine(table=table, code=code, name=name, unit=unit, source=SourceRef("d1", page, BOX),
                       columns={k: (D(v) if v is not None else None) for k, v in cols.items()})


def run(case: Case, check_id: str) -> list:
    from core.checks.registry import all_checks

    fn = next(c.fn for c in all_checks() if c.id == check_id)
    return fn(case)


def only_accounts(case: Case) -> list:
    from core.checks.registry import run_checks

    return [f for f in run_checks(case) if f.check.startswith("accounts.")]


# -- seed 001 (元) --------------------------------------------------------------------------------------------

SEED_001_LINES = [  # code, name, 本年支出合计, 基本支出, 项目支出 (公开03 = 公开05 here; 公开02: all 财政拨款)
    ("2013201", "行政运行", "3212936.97", "3212936.97", None),
    ("2013202", "一般行政管理事务", "30000.00", None, "30000.00"),
    ("2013204", "公务员事务", "241518.00", None, "241518.00"),
    ("2013299", "其他组织事务支出", "2329668.00", None, "2329668.00"),
    ("2019999", "其他一般公共服务支出", "279151.00", None, "279151.00"),
    ("2050802", "干部教育", "160524.81", None, "160524.81"),
    ("2080116", "引进人才费用", "7510966.90", None, "7510966.90"),
    ("2080501", "行政单位离退休", "2480218.21", "1983804.90", "496413.31"),
    ("2080503", "离退休人员管理机构", "581769.98", None, "581769.98"),
    ("2080505", "机关事业单位基本养老保险缴费支出", "342316.48", "342316.48", None),
    ("2080506", "机关事业单位职业年金缴费支出", "30974.64", "30974.64", None),
    ("2080801", "死亡抚恤", "545542.00", "545542.00", None),
    ("2089999", "其他社会保障和就业支出", "11341.20", "11341.20", None),
    ("2100717", "计划生育服务", "7680.00", None, "7680.00"),
    ("2101101", "行政单位医疗", "128829.93", "128829.93", None),
    ("2101103", "公务员医疗补助", "187005.57", "187005.57", None),
    ("2130152", "对高校毕业生到基层任职补助", "62500.00", None, "62500.00"),
    ("2130705", "对村民委员会和村党支部的补助", "4134621.86", None, "4134621.86"),
    ("2210201", "住房公积金", "296369.00", "296369.00", None),
]
SEED_001_CLASSES = {"201": "6093273.97", "205": "160524.81", "208": "11503129.41", "210": "323515.50",
                    "213": "4197121.86", "221": "296369.00"}
SEED_001_ECON = {  # 公开06 (元)
    "301": "3556093.32", "30101": "849683.60", "30102": "587495.00", "30103": "1122077.90",
    "30108": "342316.48",
    "30109": "30974.64", "30110": "128829.93", "30111": "187005.57", "30112": "11341.20",
    "30113": "296369.00",
    "303": "2529346.90", "30301": "159998.00", "30304": "545542.00", "30305": "1540001.00",
    "30307": "283805.90",
    "302": "624010.47", "30201": "116178.50", "30202": "55222.00", "30207": "26417.42", "30211": "32489.50",
    "30213": "610.00", "30217": "2910.00", "30226": "11100.00", "30227": "15200.00", "30228": "18016.73",
    "30229": "45034.00", "30239": "165730.00", "30299": "135102.32",
    "310": "29670.00", "31002": "16280.00", "31007": "13390.00",
}
TOTAL = "22573934.55"


def seed_001_accounts() -> Case:
    """The 公开01–09 tables of seed 001 as the extractor would give them (blank cells: no field / None)."""
    fs = [F("accounts.t01.income.1", TOTAL), F("accounts.t01.income_total", TOTAL),
          F("accounts.t01.carry_begin", "0.00"), F("accounts.t01.grand_total", TOTAL),
          F("accounts.t01.expense_total", TOTAL), F("accounts.t01.grand_total_expense", TOTAL)]
    fs += [F(f"accounts.t01.class.{c}", v) for c, v in SEED_001_CLASSES.items()]
    fs += [F("accounts.t04.income.1", TOTAL, page=9), F("accounts.t04.income_total", TOTAL, page=9),
           F("accounts.t04.carry_begin", "0.00", page=9), F("accounts.t04.grand_total", TOTAL, page=9),
           F("accounts.t04.expense_total", TOTAL, page=9), F("accounts.t04.grand_total_expense", TOTAL,
                                                             page=9)]
    fs += [F(f"accounts.t04.class.{c}", v, page=9) for c, v in SEED_001_CLASSES.items()]
    fs += [F(f"accounts.t06.econ.{c}", v, page=11) for c, v in SEED_001_ECON.items()]
    fs += [F("accounts.t06.personnel", "6085440.22", page=11), F("accounts.t06.public", "653680.47", page=11)]
    for side in ("budget", "final"):
        fs += [F(f"accounts.t09.{side}.total", "2910.00", page=14), F(f"accounts.t09.{side}.reception",
                                                                      "2910.00", page=14)]
    fs += [F("accounts.t03.total", TOTAL, page=7), F("accounts.t03.basic", "6739120.69", page=7),
           F("accounts.t03.project", "15834813.86", page=7)]
    ls = [L("t02", "", "合计", total=TOTAL, fiscal=TOTAL)]
    ls += [L("t02", c, n, total=t, fiscal=t) for c, n, t, _, _ in SEED_001_LINES]
    for table in ("t03", "t05"):
        ls.append(L(table, "", "合计", page=7, total=TOTAL, basic="6739120.69", project="15834813.86"))
        ls += [L(table, c, n, page=7, total=t, basic=b, project=p) for c, n, t, b, p in SEED_001_LINES]
    ls.append(L("t07", "", "合计", page=12, carry_begin=None, income=None, total=None, basic=None, project=None,
                carry_end=None))
    ls.append(L("t08", "", "合计", page=13, total=None, basic="0.00", project=None))
    docs = [DocumentInfo("d1", "seed001.pdf", "", 40, kinds={f"公开0{i}": [4 + i] for i in range(1, 10)})]
    return Case(documents=docs, fields=fs, account_lines=ls)


def test_seed_001_tables_give_no_finding():
    case = seed_001_accounts()
    assert only_accounts(case) == []


def test_seed_001_all_identities_were_really_checked():
    # a finding appears as soon as one figure is changed: the silence above is not for lack of input
    case = seed_001_accounts()
    for f in case.fields:
        if f.key == "accounts.t06.econ.30101":
            f.value = D("849683.61")
    found = {f.check for f in only_accounts(case)}
    assert "accounts.i06c" in found


# -- Shanghai 普陀 社会工作部 2024 (万元): real rounding differences --------------------------------------------------

SH_LINES = [("201", "一般公共服务支出", "264.87", "62.63", "202.24"), ("20139", "社会工作事务", "264.87", "62.63",
                                                               "202.24"),
            ("2013901", "行政运行", "51.32", "51.32", None), ("2013950", "事业运行", "11.31", "11.31", None),
            ("2013999", "其他社会工作事务支出", "202.24", None, "202.24"),
            ("208", "社会保障和就业支出", "10.82", "10.82", None), ("20805", "行政事业单位养老支出", "10.82", "10.82", None),
            ("2080505", "机关事业单位基本养老保险缴费支出", "6.18", "6.18", None),
            ("2080506", "机关事业单位职业年金缴费支出", "4.64", "4.64", None),
            ("210", "卫生健康支出", "2.71", "2.71", None), ("21011", "行政事业单位医疗", "2.71", "2.71", None),
            ("2101101", "行政单位医疗", "2.22", "2.22", None), ("2101102", "事业单位医疗", "0.49", "0.49", None),
            ("221", "住房保障支出", "29.42", "29.42", None), ("22102", "住房改革支出", "29.42", "29.42", None),
            ("2210201", "住房公积金", "17.70", "17.70", None), ("2210203", "购房补贴", "11.72", "11.72", None)]


def shanghai_accounts() -> Case:
    W = "万元"
    fs = [F("accounts.t01.income.1", "307.82", W), F("accounts.t01.income_total", "307.82", W),
          F("accounts.t01.grand_total", "307.82", W), F("accounts.t01.expense_total", "307.82", W),
          F("accounts.t01.grand_total_expense", "307.82", W)]
    fs += [F(f"accounts.t01.class.{c}", v, W) for c, v in (("201", "264.87"), ("208", "10.82"), ("210",
                                                                                                 "2.71"),
                                                            ("221", "29.42"))]
    econ = {"301": "95.36", "30101": "14.12", "30102": "39.72", "30103": "0.00", "30107": "10.16",
            "30108": "6.18",
            "30109": "4.64", "30110": "2.71", "30112": "0.09", "30113": "17.70", "30199": "0.04",
            "303": "0.00",
            "302": "10.23", "30201": "3.78", "30211": "1.15", "30213": "0.02", "30217": "0.00",
            "30226": "0.68",
            "30227": "0.48", "30229": "1.48", "30239": "2.43", "30299": "0.20", "310": "0.00",
            "31002": "0.00"}
    fs += [F(f"accounts.t06.econ.{c}", v, W, page=13) for c, v in econ.items()]
    fs += [F("accounts.t06.personnel", "95.36", W, page=13), F("accounts.t06.public", "10.23", W, page=13)]
    ls = [L("t02", "", "合计", W, total="307.82", fiscal="307.82")]
    ls += [L("t02", c, n, W, total=t, fiscal=t) for c, n, t, _, _ in SH_LINES]
    for table in ("t03", "t05"):
        ls.append(L(table, "", "合计", W, page=8, total="307.82", basic="105.58", project="202.24"))
        ls += [L(table, c, n, W, page=8, total=t, basic=b, project=p) for c, n, t, b, p in SH_LINES]
    docs = [DocumentInfo("d1", "shanghai.pdf", "", 24, kinds={"公开01": [5], "公开02": [6, 7], "公开03": [8, 9],
                                                               "公开04": [10, 11], "公开05": [12], "公开06": [13],
                                                               "公开09": [14], "公开07": [15], "公开08": [16]})]
    return Case(documents=docs, fields=fs, account_lines=ls)


def test_shanghai_rounding_differences_are_warnings_only():
    found = only_accounts(shanghai_accounts())
    assert found, "the real 0.01 differences must be reported"
    assert all(f.severity == Severity.WARNING for f in found)
    by_check = {f.check: f for f in found}
    # 302 商品和服务支出 10.23 vs its items 10.22; 人员经费 95.36 + 公用经费 10.23 = 105.59 vs 基本支出 105.58
    assert by_check["accounts.i06c"].values == [D("10.23"), D("10.22")]
    assert "尾数差异" in by_check["accounts.i06c"].message
    assert by_check["accounts.i05d"].values == [D("105.58"), D("105.59")]


# -- one test per check: a failing input and a passing one ---------------------------------------------------


def t01(**over: str) -> Case:
    base = {"income.1": "100.00", "income.4": "20.00", "income_total": "120.00", "carry_begin": "5.00",
            "grand_total": "125.00", "class.201": "70.00", "class.208": "40.00", "expense_total": "110.00",
            "carry_end": "15.00", "grand_total_expense": "125.00"}
    base.update(over)
    return Case(fields=[F(f"accounts.t01.{k}", v) for k, v in base.items()])


def test_i01a_income_total_is_sum_of_income_rows():
    found = run(t01(**{"income.4": "21.00", "grand_total": "125.00"}), "accounts.i01a")
    assert len(found) == 1 and found[0].severity == Severity.ERROR
    assert found[0].values == [D("120.00"), D("121.00")]
    assert "本年收入合计" in found[0].message and "相差1.00元" in found[0].message
    assert {"accounts.t01.income_total", "accounts.t01.income.1",
            "accounts.t01.income.4"} <= set(found[0].keys)
    assert len(found[0].locations) == 1  # all on one page here: each place once
    assert run(t01(), "accounts.i01a") == []


def test_i01b_expense_total_is_sum_of_classes():
    found = run(t01(**{"class.208": "41.00"}), "accounts.i01b")
    assert [f.values for f in found] == [[D("110.00"), D("111.00")]]
    assert run(t01(), "accounts.i01b") == []


def test_i01c_grand_total_income_side():
    found = run(t01(grand_total="126.00", grand_total_expense="126.00"), "accounts.i01c")
    assert [f.values for f in found] == [[D("126.00"), D("125.00")]]
    assert run(t01(), "accounts.i01c") == []


def test_i01d_grand_total_expense_side_blank_carry_end_is_zero():
    case = t01()
    case.fields = [f for f in case.fields if f.key != "accounts.t01.carry_end"]
    found = run(case, "accounts.i01d")
    assert [f.values for f in found] == [[D("125.00"), D("110.00")]]
    assert run(t01(), "accounts.i01d") == []


def test_i01e_both_grand_totals_equal():
    found = run(t01(grand_total_expense="124.00"), "accounts.i01e")
    assert len(found) == 1 and found[0].values == [D("125.00"), D("124.00")]
    assert run(t01(), "accounts.i01e") == []


def test_i02a_row_total_is_sum_of_income_columns():
    case = Case(account_lines=[L("t02", "2013201", "行政运行", total="100.00", fiscal="90.00", other="9.00")])
    found = run(case, "accounts.i02a")
    assert len(found) == 1 and found[0].severity == Severity.ERROR
    assert "2013201行政运行" in found[0].message and found[0].values == [D("100.00"), D("99.00")]
    assert found[0].keys == ["accounts.lines.t02.2013201"]
    case.account_lines[0].columns["other"] = D("10.00")
    assert run(case, "accounts.i02a") == []


def hierarchy_case(table: str, leaf2: str = "30.00", unit: str = "元") -> Case:
    return Case(account_lines=[
        L(table, "", "合计", unit, total="100.00"),
        L(table, "201", "一般公共服务支出", unit, total="100.00"),
        L(table, "20132", "组织事务", unit, total="100.00"),
        L(table, "2013201", "行政运行", unit, total="70.00"),
        L(table, "2013202", "一般行政管理事务", unit, total=leaf2),
    ])


@pytest.mark.parametrize("check_id,table", [("accounts.i02b", "t02"), ("accounts.i03b", "t03"),
                                            ("accounts.i05b", "t05"), ("accounts.t07_t08_hierarchy", "t08")])
def test_hierarchy_lei_kuan_xiang_and_total(check_id, table):
    found = run(hierarchy_case(table, "31.00"), check_id)
    # 款 20132 ≠ Σ 项 (one wrong 项 named once); 类 201 = 款 20132 and 合计 = Σ 类 hold
    assert len(found) == 1 and all(f.severity == Severity.ERROR for f in found)
    assert "20132组织事务" in found[0].message
    assert all(len(f.locations) == 1 for f in found)  # every line on the same place in this test
    assert run(hierarchy_case(table), check_id) == []
    case = hierarchy_case(table)
    case.account_lines[0].columns["total"] = D("300.00")  # 合计 = 类 + 款 + 项 summed together
    (wrong,) = run(case, check_id)
    assert "“合计”" in wrong.message and "各类级科目（1行）合计100.00元" in wrong.message


def test_hierarchy_sums_one_level_only_never_lei_kuan_xiang_together():
    """Three levels printed, each with its own amounts: 合计 = Σ 类 = Σ 款 = Σ 项, no finding."""
    case = Case(account_lines=[
        L("t03", "", "合计", total="150.00"),
        L("t03", "201", "一般公共服务支出", total="100.00"),
        L("t03", "20132", "组织事务", total="100.00"),
        L("t03", "2013201", "行政运行", total="70.00"),
        L("t03", "2013202", "一般行政管理事务", total="30.00"),
        L("t03", "208", "社会保障和就业支出", total="50.00"),
        L("t03", "20805", "行政事业单位养老支出", total="50.00"),
        L("t03", "2080505", "机关事业单位基本养老保险缴费支出", total="50.00"),
    ])
    assert run(case, "accounts.i03b") == []


def test_a_lei_row_left_out_is_not_an_error_while_the_xiang_rows_agree():
    case = hierarchy_case("t03")
    case.account_lines.append(L("t03", "2080505", "机关事业单位基本养老保险缴费支出", total="20.00"))
    case.account_lines[0].columns["total"] = D("120.00")  # 合计 = Σ 项; the 208 类 and 款 rows not printed
    assert run(case, "accounts.i03b") == []


def test_an_unread_total_is_a_warning_never_compared_as_zero():
    case = hierarchy_case("t03")
    case.account_lines[0].columns["total"] = None  # the 合计 row printed, its figures not read
    found = run(case, "accounts.i03b")
    assert [f.severity for f in found] == [Severity.WARNING]
    assert "未能读取合计" in found[0].message and "相差" not in found[0].message


def test_hierarchy_in_wan_is_rounding_warning():
    found = run(hierarchy_case("t03", "30.01", "万元"), "accounts.i03b")
    assert found and all(f.severity == Severity.WARNING and "尾数差异" in f.message for f in found)


def test_hierarchy_missing_kuan_row_is_not_an_error():
    case = hierarchy_case("t03")
    case.account_lines = [ln for ln in case.account_lines if ln.code != "20132"]
    assert run(case, "accounts.i03b") == []


def test_i02c_t02_total_matches_t01():
    case = t01()
    case.account_lines = [L("t02", "", "合计", total="120.00", fiscal="100.00", superior="21.00")]
    found = run(case, "accounts.i02c")
    assert len(found) == 1 and "上级补助收入" in found[0].message and found[0].values == [D("21.00"), D("20.00")]
    case.account_lines[0].columns["superior"] = D("20.00")
    assert run(case, "accounts.i02c") == []


def test_i03a_row_total_is_basic_plus_project():
    case = Case(account_lines=[L("t03", "", "合计", total="100.00", basic="60.00", project="39.00")])
    found = run(case, "accounts.i03a")
    assert len(found) == 1 and "基本支出＋项目支出" in found[0].message
    case.account_lines[0].columns["project"] = D("40.00")
    assert run(case, "accounts.i03a") == []


def test_i03c_t03_total_and_classes_match_t01():
    case = t01()
    case.account_lines = [L("t03", "", "合计", total="110.00"), L("t03", "2013201", "行政运行", total="70.00"),
                          L("t03", "2080505", "养老", total="41.00")]
    found = run(case, "accounts.i03c")
    assert len(found) == 1 and "208类" in found[0].message and found[0].values == [D("40.00"), D("41.00")]
    case.account_lines[2].columns["total"] = D("40.00")
    assert run(case, "accounts.i03c") == []


def t04(**over: str) -> Case:
    base = {"income.1": "100.00", "income_total": "100.00", "carry_begin": "10.00", "grand_total": "110.00",
            "class.201": "60.00", "class.208": "40.00", "expense_total": "100.00", "carry_end": "10.00",
            "grand_total_expense": "110.00"}
    base.update(over)
    return Case(fields=[F(f"accounts.t04.{k}", v, page=9) for k, v in base.items()])


def test_i04a_fiscal_income_side():
    found = run(t04(grand_total="111.00", grand_total_expense="111.00"), "accounts.i04a")
    assert len(found) == 1 and found[0].values == [D("111.00"), D("110.00")]
    assert run(t04(), "accounts.i04a") == []


def test_i04b_class_equals_general_plus_fund_plus_soe_tables():
    case = t04()
    case.account_lines = [L("t05", "2013201", "行政运行", total="60.00"), L("t05", "2080505", "养老",
                                                                        total="38.00"),
                          L("t07", "2080999", "基金", total="2.00", basic=None, project="2.00")]
    assert run(case, "accounts.i04b") == []
    case.account_lines[2].columns["total"] = D("1.00")
    found = run(case, "accounts.i04b")
    assert len(found) == 1 and found[0].values == [D("40.00"), D("39.00")]


def test_i04c_expense_side():
    found = run(t04(**{"class.208": "41.00"}), "accounts.i04c")
    assert len(found) == 1 and "各类支出之和" in found[0].message
    assert run(t04(), "accounts.i04c") == []


def test_i04d_t04_income_matches_t01_fiscal_rows():
    case = t04()
    case.fields += [F("accounts.t01.income.1", "100.00"), F("accounts.t01.income_total", "100.00")]
    assert run(case, "accounts.i04d") == []
    case.fields[-2].value = D("99.00")
    found = run(case, "accounts.i04d")
    assert found and all(f.severity == Severity.ERROR for f in found)
    assert any(f.values == [D("100.00"), D("99.00")] for f in found)


def test_i04_units_differ_compared_in_wan():
    case = t04()  # in 元
    case.fields += [F("accounts.t01.income.1", "0.01", "万元"), F("accounts.t01.income_total", "0.01", "万元")]
    assert run(case, "accounts.i04d") == []


def test_i05a_row_total_is_basic_plus_project():
    case = Case(account_lines=[L("t05", "2013201", "行政运行", total="50.00", basic="50.00", project="1.00")])
    assert len(run(case, "accounts.i05a")) == 1
    case.account_lines[0].columns["project"] = None
    assert run(case, "accounts.i05a") == []


def test_i05c_t05_total_is_t04_minus_funds():
    case = t04()
    case.account_lines = [L("t05", "", "合计", total="98.00"), L("t07", "", "合计", total="2.00")]
    assert run(case, "accounts.i05c") == []
    case.account_lines[1].columns["total"] = D("3.00")
    found = run(case, "accounts.i05c")
    assert len(found) == 1 and found[0].values == [D("98.00"), D("97.00")]


def test_i05d_basic_is_personnel_plus_public():
    case = Case(fields=[F("accounts.t06.personnel", "80.00", page=11), F("accounts.t06.public", "19.00",
                                                                         page=11)],
                account_lines=[L("t05", "", "合计", total="150.00", basic="100.00", project="50.00")])
    found = run(case, "accounts.i05d")
    assert len(found) == 1 and found[0].severity == Severity.ERROR
    assert "人员经费合计＋公用经费合计" in found[0].message
    assert len(found[0].locations) == 2  # the 公开05 合计 line and the 公开06 totals
    case.fields[1].value = D("20.00")
    assert run(case, "accounts.i05d") == []


def test_i05e_t05_equals_t03_when_all_income_is_general_budget():
    case = t01(**{"income.4": "0.00", "income.1": "120.00", "carry_begin": "0.00"})
    case.account_lines = [L("t03", "2013201", "行政运行", total="70.00", basic="70.00"),
                          L("t05", "2013201", "行政运行", total="69.00", basic="69.00")]
    found = run(case, "accounts.i05e")
    assert len(found) == 2 and all("2013201行政运行" in f.message for f in found)
    case.account_lines[1].columns.update(total=D("70.00"), basic=D("70.00"))
    assert run(case, "accounts.i05e") == []
    # with other income the two tables legitimately differ
    other = t01()
    other.account_lines = [L("t03", "2013201", "行政运行", total="70.00"), L("t05", "2013201", "行政运行",
                                                                         total="50.00")]
    assert run(other, "accounts.i05e") == []


def t06(**over: str) -> Case:
    base = {"301": "50.00", "30101": "30.00", "30102": "20.00", "303": "10.00", "302": "8.00",
            "30201": "8.00",
            "310": "2.00"}
    base.update(over)
    fs = [F(f"accounts.t06.econ.{k}", v, page=11) for k, v in base.items()]
    fs += [F("accounts.t06.personnel", "60.00", page=11), F("accounts.t06.public", "10.00", page=11)]
    return Case(fields=fs)


def test_i06a_personnel_is_301_plus_303():
    found = run(t06(**{"303": "11.00", "30101": "30.00"}), "accounts.i06a")
    assert len(found) == 1 and found[0].values == [D("60.00"), D("61.00")]
    assert run(t06(), "accounts.i06a") == []


def test_i06b_public_is_302_307_310_399():
    found = run(t06(**{"310": "3.00"}), "accounts.i06b")
    assert len(found) == 1 and found[0].values == [D("10.00"), D("11.00")]
    assert run(t06(), "accounts.i06b") == []


def test_i06c_each_kuan_is_sum_of_its_items():
    found = run(t06(**{"30102": "21.00"}), "accounts.i06c")
    assert len(found) == 1 and "30101" not in found[0].message and "301" in found[0].message
    assert run(t06(), "accounts.i06c") == []


def test_i06e_reception_in_basic_not_above_sangong_table():
    case = t06(**{"30217": "3000.00"})
    case.fields += [F("accounts.t09.final.total", "2910.00", page=14), F("accounts.t09.final.reception",
                                                                         "2910.00", page=14)]
    found = run(case, "accounts.i06e")
    assert len(found) == 1 and found[0].severity == Severity.ERROR
    assert "30217" in found[0].message and "公务接待费决算数" in found[0].message
    case.fields[-1].value = D("3000.00")
    case.fields[-2].value = D("3000.00")
    assert run(case, "accounts.i06e") == []


def test_i06e_empty_sangong_table_is_a_warning():
    case = t06(**{"30217": "3000.00"})
    case.documents = [DocumentInfo("d1", "x.pdf", "", 20, kinds={"公开09": [14]})]
    found = run(case, "accounts.i06e")
    assert len(found) == 1 and found[0].severity == Severity.WARNING


def test_i07a_and_i07b_fund_table_rows():
    ln = L("t07", "", "合计", carry_begin="1.00", income="10.00", total="8.00", basic="3.00", project="4.00",
           carry_end="4.00")
    case = Case(account_lines=[ln])
    assert len(run(case, "accounts.i07a")) == 1  # 8 ≠ 3 + 4
    assert len(run(case, "accounts.i07b")) == 1  # 4 ≠ 1 + 10 − 8
    ln.columns.update(project=D("5.00"), carry_end=D("3.00"))
    assert run(case, "accounts.i07a") == [] and run(case, "accounts.i07b") == []


def test_i07c_fund_income_matches_t01_row_2():
    case = t01(**{"income.2": "5.00"})
    case.account_lines = [L("t07", "", "合计", income="6.00", total="6.00")]
    found = run(case, "accounts.i07c")
    assert len(found) == 1 and found[0].values == [D("6.00"), D("5.00")]
    case.account_lines[0].columns["income"] = D("5.00")
    assert run(case, "accounts.i07c") == []


def test_i08a_soe_table_rows():
    case = Case(account_lines=[L("t08", "", "合计", total="5.00", basic="1.00", project="3.00")])
    assert len(run(case, "accounts.i08a")) == 1
    case.account_lines[0].columns["project"] = D("4.00")
    assert run(case, "accounts.i08a") == []


@pytest.mark.parametrize("check_id,side", [("accounts.i09a", "budget"), ("accounts.i09b", "final")])
def test_i09_sangong_parts(check_id, side):
    p = f"accounts.t09.{side}."
    case = Case(fields=[F(p + "total", "10.00", page=14), F(p + "reception", "6.00", page=14),
                        F(p + "vehicle", "3.00", page=14), F(p + "vehicle_operation", "2.00", page=14)])
    found = run(case, check_id)
    assert len(found) == 2  # total ≠ 6 + 3; vehicle ≠ 0 + 2
    case.fields[0].value = D("9.00")
    case.fields[3].value = D("3.00")
    assert run(case, check_id) == []


FAILING = {
    "accounts.i01a": lambda: t01(**{"income.4": "21.00"}),
    "accounts.i01b": lambda: t01(**{"class.208": "41.00"}),
    "accounts.i01c": lambda: t01(grand_total="126.00"),
    "accounts.i01d": lambda: t01(grand_total_expense="126.00"),
    "accounts.i01e": lambda: t01(grand_total_expense="124.00"),
    "accounts.i02a": lambda: Case(account_lines=[L("t02", "2013201", "行政运行", total="100.00",
                                                   fiscal="90.00")]),
    "accounts.i02b": lambda: hierarchy_case("t02", "31.00"),
    "accounts.i02c": lambda: Case(fields=t01().fields, account_lines=[L("t02", "", "合计", total="121.00")]),
    "accounts.i03a": lambda: Case(account_lines=[L("t03", "", "合计", total="100.00", basic="60.00")]),
    "accounts.i03b": lambda: hierarchy_case("t03", "31.00"),
    "accounts.i03c": lambda: Case(fields=t01().fields, account_lines=[L("t03", "", "合计", total="111.00")]),
    "accounts.i04a": lambda: t04(grand_total="111.00"),
    "accounts.i04b": lambda: Case(fields=t04().fields, account_lines=[L("t05", "2013201", "行政运行",
                                                                        total="61.00"),
                                                                      L("t05", "2080505", "养老",
                                                                        total="40.00")]),
    "accounts.i04c": lambda: t04(**{"class.208": "41.00"}),
    "accounts.i04d": lambda: Case(fields=t04().fields + [F("accounts.t01.income.1", "99.00")]),
    "accounts.i05a": lambda: Case(account_lines=[L("t05", "2013201", "行政运行", total="50.00", basic="49.00")]),
    "accounts.i05b": lambda: hierarchy_case("t05", "31.00"),
    "accounts.i05c": lambda: Case(fields=t04().fields, account_lines=[L("t05", "", "合计", total="99.00")]),
    "accounts.i05d": lambda: Case(fields=[F("accounts.t06.personnel", "80.00"), F("accounts.t06.public", "19.00")],
                                  account_lines=[L("t05", "", "合计", total="100.00", basic="100.00")]),
    "accounts.i05e": lambda: Case(fields=t01(**{"income.4": "0.00", "income.1": "120.00", "carry_begin": "0"}).fields,
                                  account_lines=[L("t03", "2013201", "行政运行", total="70.00"),
                                                 L("t05", "2013201", "行政运行", total="69.00")]),
    "accounts.i06a": lambda: t06(**{"303": "11.00"}),
    "accounts.i06b": lambda: t06(**{"310": "3.00"}),
    "accounts.i06c": lambda: t06(**{"30102": "21.00"}),
    "accounts.i06e": lambda: (
        Case(fields=t06(**{"30217": "3000.00"}).fields + [F("accounts.t09.final.reception", "10.00")])),
    "accounts.i07a": lambda: Case(account_lines=[L("t07", "", "合计", total="8.00", basic="3.00")]),
    "accounts.i07b": lambda: (
        Case(account_lines=[L("t07", "", "合计", income="8.00", total="3.00", carry_end="1.00")])),
    "accounts.i07c": lambda: Case(fields=t01(**{"income.2": "5.00"}).fields,
                                  account_lines=[L("t07", "", "合计", income="6.00")]),
    "accounts.i08a": lambda: Case(account_lines=[L("t08", "", "合计", total="5.00", basic="1.00")]),
    "accounts.t07_t08_hierarchy": lambda: hierarchy_case("t08", "31.00"),
    "accounts.i09a": lambda: (
        Case(fields=[F("accounts.t09.budget.total", "10.00"), F("accounts.t09.budget.reception", "9.00")])),
    "accounts.i09b": lambda: (
        Case(fields=[F("accounts.t09.final.total", "10.00"), F("accounts.t09.final.reception", "9.00")])),
}


@pytest.mark.parametrize("check_id", sorted(FAILING))
def test_failing_inputs_are_found(check_id):
    found = run(FAILING[check_id](), check_id)
    assert found, check_id
    assert all(f.check == check_id and f.locations for f in found)
