"""Every check of the catalogue is accounted for on a case: 自动完成 with its result, 取数不足 naming what could
not be read, or 不适用 naming why (core/checks/coverage.py, resources/check_inputs.json; issue 20 part 1)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from core.checks import coverage as cov
from core.checks.registry import all_checks
from core.model import Case, DocumentInfo, Field, Finding, Severity, SourceRef
from core.pipeline import extract_case
from core.resources import resource_path
from core.review.corrections import CheckVerdict, CheckVerdictLog, Decision, ReviewLogs

PACKAGES = Path(__file__).resolve().parents[2] / "data" / "packages"
_cases: dict[str, Case] = {}


def _package(name: str) -> Case:
    if name not in _cases:
        d = PACKAGES / name
        _cases[name] = extract_case(sorted(p for p in d.iterdir() if p.suffix == ".pdf"))
    return _cases[name]


def _field(key: str, value, form: str, doc: str = "d1", page: int = 1, unit: str = "万元") -> Field:
    return Field(key=key, value=Decimal(value) if value is not None else None, unit=unit, raw=str(value),
                 source=SourceRef(doc, page, (10, 10, 50, 20)), form=form)


def _by_id(items):
    return {it.check_id: it for it in items}


# -- the data covers the registry ----------------------------------------------------------------------------

def test_every_registered_check_has_its_inputs_and_a_name():
    """A new check cannot silently be missing from the coverage: it must say what it needs."""
    cat = cov.catalogue()
    registered = [c.id for c in all_checks()]
    assert not [c for c in registered if c not in cat.checks], "checks without an entry in check_inputs.json"
    assert not [c for c in registered if not cat.names.get(c)], "checks without a Chinese name in checks.json"


def test_every_figure_named_in_a_need_has_a_chinese_name():
    data = json.loads(resource_path("check_inputs.json").read_text("utf-8"))
    needs = {n for spec in data["checks"].values() for s in spec["sources"] for n in (*s.get("needs", ()), *s.get("if", ()))}
    assert not sorted(needs - set(data["figures"])), "a need the reviewer would see as a key, not in Chinese"
    for spec in data["checks"].values():
        for s in spec["sources"]:
            if s.get("if"):
                assert s.get("absent"), f"a condition without the reason it may be unmet: {spec}"


# -- the rules, on cases written out in the test ---------------------------------------------------------------

def _selfeval_case(*fields: Field, problems: list | None = None, pages=(1,)) -> Case:
    doc = DocumentInfo(id="d1", path="/x/自评表.pdf", sha256="", pages=len(pages), kinds={"自评表": list(pages)},
                       problems=problems or [])
    return Case(documents=[doc], fields=list(fields))


def test_a_form_that_is_absent_makes_its_checks_not_applicable_naming_it():
    items = _by_id(cov.coverage(_selfeval_case()))
    basic = items["basic.sangong_over_budget"]
    assert basic.status == cov.NOT_APPLICABLE and basic.why == "材料中没有基础数据表"
    assert items["accounts.i01a"].why == "材料中没有部门决算（公开01–09表）"


def test_a_form_present_without_its_figures_is_short_naming_the_figures_and_pages():
    items = _by_id(cov.coverage(_selfeval_case(_field("selfeval.funds.executed", "100", "自评表"))))
    it = items["selfeval.execution_rate"]
    assert it.status == cov.SHORT and it.is_open
    assert it.why == "自评表（第1页）中未读到：预算执行率、全年预算数"


def test_a_form_on_an_unreadable_page_says_so():
    problems = [{"code": "scanned_pages", "message": "第2页是扫描图像，无文字层"}]
    case = _selfeval_case(_field("selfeval.funds.executed", "100", "自评表"), problems=problems, pages=(1, 2))
    it = _by_id(cov.coverage(case))["selfeval.execution_rate"]
    assert it.status == cov.SHORT
    assert "第2页是扫描图像，无文字层" in it.why


def test_a_missing_form_with_an_unreadable_file_in_the_package_is_short_not_absent():
    case = _selfeval_case()
    case.extra["unreadable"] = [{"path": "/x/基础数据表.pdf", "code": "corrupt", "message": "PDF文件已损坏，无法解析"}]
    it = _by_id(cov.coverage(case))["basic.sangong_over_budget"]
    assert it.status == cov.SHORT
    assert "材料中没有基础数据表" in it.why and "基础数据表.pdf：PDF文件已损坏" in it.why


def test_a_table_not_found_beside_a_scanned_page_of_the_same_package_is_short():
    """A 决算 whose 公开05 page is a scan OCR could not read: the page is not classified, so 公开05 seems absent —
    but a page of the package could not be read, so the checks of 公开05 are open, not 不适用."""
    kinds = {f"公开0{i}": [i + 1] for i in (1, 2, 3, 4, 6, 7, 8, 9)}
    doc = DocumentInfo(id="d1", path="/x/部门决算.pdf", sha256="", pages=10, kinds=kinds,
                       problems=[{"code": "scanned_pages", "message": "第6页是扫描图像，无文字层"}])
    case = Case(documents=[doc], fields=[_field("accounts.t01.expense_total", "1", "决算")])
    items = _by_id(cov.coverage(case))
    it = items["accounts.i05a"]
    assert it.status == cov.SHORT
    assert it.why == ("材料中没有部门决算公开05表（一般公共预算财政拨款支出决算表）；以下页面或文件未能读取，可能含有所需材料："
                      "部门决算.pdf：第6页是扫描图像，无文字层")
    # a table on a readable page whose figures are missing names that page's problem only when it has one
    assert items["accounts.i03a"].why == "部门决算公开03表（支出决算表）（第4页）中未读到：支出决算表科目行"


def test_an_automatic_check_reports_its_findings_or_passed():
    f = _field("selfeval.funds.executed", "100", "自评表")
    case = _selfeval_case(f, _field("selfeval.funds.execution_rate", "90", "自评表", unit="%"),
                          _field("selfeval.funds.annual_budget", "100", "自评表"))
    case.findings = [Finding("selfeval.execution_rate", Severity.ERROR, "执行率不符", ["selfeval.funds.execution_rate"],
                             [], [f.source])]
    items = _by_id(cov.coverage(case))
    assert items["selfeval.execution_rate"].status == cov.AUTO
    assert items["selfeval.execution_rate"].result == "错误1项"
    assert items["selfeval.execution_rate"].findings == [case.findings[0].fingerprint]
    assert items["cross.c17_budget_adjustment"].status == cov.SHORT  # 年初预算数 not read


def test_a_check_that_crashed_is_short_never_passed():
    case = _selfeval_case(_field("selfeval.funds.executed", "1", "自评表"),
                          _field("selfeval.funds.execution_rate", "1", "自评表", unit="%"),
                          _field("selfeval.funds.annual_budget", "1", "自评表"))
    case.findings = [Finding("selfeval.execution_rate", Severity.INFO,
                             "检查“selfeval.execution_rate”未能完成（程序错误：KeyError），请人工核对相关数据")]
    it = _by_id(cov.coverage(case))["selfeval.execution_rate"]
    assert it.status == cov.SHORT and "程序错误" in it.why


def test_an_optional_figure_makes_the_check_not_applicable_not_open():
    """楼堂馆所 is filled only by a department that finished a building this year."""
    doc = DocumentInfo(id="d1", path="/x/基础数据表.pdf", sha256="", pages=1, kinds={"基础数据表": [1]})
    case = Case(documents=[doc], fields=[_field("basic.sangong.final", "1", "基础数据表")])
    it = _by_id(cov.coverage(case))["basic.building_control_rates"]
    assert it.status == cov.NOT_APPLICABLE and "楼堂馆所" in it.why and not it.is_open


def test_a_verdict_closes_an_open_check_and_review_complete_says_why_not():
    case = _selfeval_case(_field("selfeval.funds.executed", "100", "自评表"))
    finding = Finding("selfeval.execution_rate", Severity.WARNING, "提示", [], [], [])
    case.findings = [finding]
    logs = ReviewLogs()
    done, reasons = cov.review_complete(case, logs)
    assert not done
    assert reasons[0] == "还有1条问题未处理（其中错误0条），需确认问题或排除"
    assert reasons[1].startswith("还有") and "预算执行率计算" in reasons[1]

    logs.decisions.append(Decision(finding.fingerprint, "排除", "可接受", "张三", "t"))
    for it in cov.open_required(case, logs.check_verdicts.current()):
        logs.check_verdicts.append(CheckVerdict(it.check_id, "通过", "已对照原表核对", "张三", "t"))
    assert cov.review_complete(case, logs) == (True, [])
    item = _by_id(cov.coverage(case, logs.check_verdicts.current()))["selfeval.execution_rate"]
    assert (item.verdict, item.note, item.reviewer) == ("通过", "已对照原表核对", "张三")
    assert not item.is_open and item.status == cov.SHORT

    # withdrawn: open again, the earlier verdict kept as history
    logs.check_verdicts.append(CheckVerdict("selfeval.execution_rate", "", "", "李四", "t2"))
    assert not cov.review_complete(case, logs)[0]
    assert len(logs.check_verdicts.history("selfeval.execution_rate")) == 2
    again = ReviewLogs.from_json(json.loads(json.dumps(logs.to_json(), default=str)))
    assert again.check_verdicts.to_json() == logs.check_verdicts.to_json()


def test_an_unknown_verdict_is_refused():
    with pytest.raises(ValueError):
        CheckVerdictLog([CheckVerdict("x", "已核实", "", "", "")])


# -- on the fixture packages ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["split_files_2024", "national_clean_2024", "phrased_clean_2024",
                                  "variant_clean_2024", "variant_caizheng_2024"])
def test_a_full_clean_package_leaves_no_required_check_open(name):
    items = cov.coverage(_package(name))
    assert len(items) == len(all_checks())
    assert not [(it.check_id, it.why) for it in items if it.status == cov.SHORT]
    auto = [it for it in items if it.status == cov.AUTO]
    assert len(auto) >= len(items) - 10
    for it in items:  # every form is there: what does not apply is a figure the department need not state
        if it.status == cov.NOT_APPLICABLE:
            assert it.why and "材料中没有" not in it.why, (it.check_id, it.why)


def test_a_package_without_a_jue_suan_says_so_for_every_table_check():
    items = cov.coverage(_package("yunxi_2024"))
    accounts = [it for it in items if it.check_id.startswith("accounts.")]
    assert accounts and all(it.status == cov.NOT_APPLICABLE and it.why == "材料中没有部门决算（公开01–09表）"
                            for it in accounts)
    assert not [it.check_id for it in items if it.status == cov.SHORT]


# -- the fixture packages with known omissions (tools/fixtures/omissions.py) ----------------------------------

def _expected(name: str) -> dict:
    return json.loads((PACKAGES / name / "expected.json").read_text("utf-8"))


def test_a_missing_form_names_every_check_that_could_not_run():
    name = "omission_no_basic_2024"
    assert _expected(name)["omissions"] == {"missing_forms": ["基础数据表"]}
    items = cov.coverage(_package(name))
    basic = [it for it in items if it.check_id.startswith("basic.")]
    assert len(basic) == 12
    assert all(it.status == cov.NOT_APPLICABLE and it.why == "材料中没有基础数据表" for it in basic)
    by = _by_id(items)
    # the comparisons that needed it: not applicable, or done on the other forms and saying what was left out
    assert by["cross.c21_staff"].status == cov.NOT_APPLICABLE and by["cross.c21_staff"].why == "材料中没有基础数据表"
    assert by["cross.c13_sangong"].status == cov.AUTO
    assert by["cross.c13_sangong"].why == "未比对部分：材料中没有基础数据表"
    # nothing else is missing: every other form's checks ran or say why they do not apply
    assert not [it.check_id for it in items if it.status == cov.SHORT]
    assert [it.check_id for it in items if "材料中没有" in it.why and it.status == cov.NOT_APPLICABLE
            and not it.check_id.startswith("basic.")] == [
        "cross.c14_sangong_change", "cross.c15_public_goods_services", "cross.c16_public_over_unexplained",
        "cross.c21_staff"]


def test_an_unreadable_table_names_each_check_that_needed_it():
    name = "omission_unreadable_2024"
    assert _expected(name)["omissions"] == {"unreadable_tables": ["公开05"]}
    case = _package(name)
    page = next(p for d in case.documents for k, ps in d.kinds.items() if k == "公开05" for p in ps)
    items = cov.coverage(case)
    short = {it.check_id: it.why for it in items if it.status == cov.SHORT}
    assert sorted(short) == ["accounts.i05a", "accounts.i05b", "accounts.i05c", "accounts.i05d", "accounts.i05e"]
    for why in short.values():
        assert why.startswith(f"部门决算公开05表（一般公共预算财政拨款支出决算表）（第{page}页）中未读到：")
    assert short["accounts.i05d"].endswith("未读到：基本支出合计")
    # the checks that can use 公开03 instead of 公开05 ran on it
    assert _by_id(items)["cross.c02_basic"].status == cov.AUTO
    done, reasons = cov.review_complete(case, ReviewLogs())
    assert not done and reasons == [("还有5项检查取数不足，需人工核对并给出结论：一般公共预算支出表各行合计、一般公共预算支出表科目层级、"
                                     "一般公共预算支出合计、基本支出=人员经费+公用经费、一般公共预算支出表与支出决算表")]


# -- a 决算 table printed empty, with the department's note ----------------------------------------------------

REAL_JUESUAN = (Path(__file__).resolve().parents[3].parent / "shared" / "real"
                / "shanghai_putuo_shehuigongzuobu_2024_bumen_juesuan.pdf")


def _page(number: int, *texts: str):
    from core.documents.layout import Line, Page

    lines = [Line(t, [(0.0, 10.0 * i, 5.0, 10.0 * i + 5)] * len(t), number) for i, t in enumerate(texts)]
    return Page(number=number, width=595, height=842, lines=lines)


def test_figureless_tables_keeps_pages_without_a_figure_and_their_notes():
    from core.extraction.accounts import figureless_tables

    empty = _page(14, "财政拨款“三公”经费支出决算表", "单位：万元", "预算数 决算数 预算数 决算数",
                  "1 2 3 4 5 6", "注：本表反映部门本年度“三公”经费支出预决算情况。",
                  "说明：本单位2024年度没有财政拨款“三公”经费支出，", "故本表无数据。")
    filled = _page(15, "政府性基金预算财政拨款收入支出决算表", "单位：元", "合计 1,234,567.00",
                   "注：本表反映部门本年度政府性基金预算财政拨款收支情况。")
    integers = _page(16, "一般公共预算财政拨款基本支出决算表", "单位：元", "人员经费 1234567")
    found = figureless_tables({14: empty, 15: filled, 16: integers}, {"公开09": [14], "公开07": [15], "公开06": [16]})
    assert found == [{"form": "公开09", "page": 14, "notes": [
        "注：本表反映部门本年度“三公”经费支出预决算情况。", "说明：本单位2024年度没有财政拨款“三公”经费支出，故本表无数据。"]}]


def _jue_suan_case(figureless: list[dict]) -> Case:
    doc = DocumentInfo(id="d1", path="/x/决算.pdf", sha256="", pages=14, kinds={"公开09": [14], "公开01": [3]})
    case = Case(documents=[doc], fields=[_field("accounts.t01.income_total", "100", "决算", page=3)])
    case.extra["figureless_tables"] = [dict(e, doc="d1") for e in figureless]
    return case


def test_a_table_printed_empty_with_a_note_saying_so_is_not_applicable_quoting_it():
    note = "说明：本单位本年度没有财政拨款“三公”经费支出，故本表无数据。"
    it = _by_id(cov.coverage(_jue_suan_case([{"form": "公开09", "page": 14, "notes": [note]}])))["accounts.i09a"]
    assert it.status == cov.NOT_APPLICABLE and not it.is_open
    assert "第14页）未印数字" in it.why and "故本表无数据" in it.why


def test_a_table_without_figures_and_without_such_a_note_stays_short():
    # the headers printed, no figure, and only the table's usual note: the figures may be lost in reading
    usual = "注：本表反映部门本年度“三公”经费支出预决算情况。"
    for figureless in ([{"form": "公开09", "page": 14, "notes": [usual]}], []):
        it = _by_id(cov.coverage(_jue_suan_case(figureless)))["accounts.i09a"]
        assert it.status == cov.SHORT and it.is_open


def test_the_real_jue_suan_with_no_sangong_spending_leaves_no_check_open():
    assert REAL_JUESUAN.is_file(), f"../shared/real missing beside the repository: {REAL_JUESUAN}"
    # 普陀区委社会工作部 prints its 公开09 with headers only: "本年度没有财政拨款“三公”经费支出，故本表无数据"
    items = _by_id(cov.coverage(extract_case([REAL_JUESUAN])))
    assert [i.check_id for i in items.values() if i.is_open] == []
    for cid in ("accounts.i09a", "accounts.i09b", "accounts.i06e"):
        assert items[cid].status == cov.NOT_APPLICABLE and "故本表无数据" in items[cid].why
