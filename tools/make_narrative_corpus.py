"""Write ``tests/data/narrative_corpus/frames.jsonl``: every rewriting of ``tools/fixtures/phrasings.py``
rendered with seed 001's department (figures made consistent) and with two invented departments, plus the
hand-written entries of ``LITERALS`` (real published wording, own figures).

    python tools/make_narrative_corpus.py [--out tests/data/narrative_corpus/frames.jsonl]

Deterministic (fixed random seeds); ``tests/tools/test_narrative_corpus_fresh.py`` fails when the file is stale.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tools.fixtures.phrasings import entries, random_facts, seed_facts  # noqa: E402

OUT = ROOT / "tests" / "data" / "narrative_corpus" / "frames.jsonl"


def _at(raw: str, text: str, nth: int) -> int:
    """Offset of the ``nth`` occurrence of ``raw`` as a whole number (not inside a longer one)."""
    hits = [m.start() for m in re.finditer(r"(?<![\d.])" + re.escape(raw) + r"(?![\d])(?!\.\d)", text)]
    return hits[nth]


def F(raw: str, text: str, nth: int = 0, **frame) -> dict:
    """A figure of a literal entry: ``raw`` at its ``nth`` occurrence (as a whole number) in ``text``."""
    return {"raw": raw, "at": _at(raw, text, nth), **frame}


def N(raw: str, text: str, nots: list[str], nth: int = 0) -> dict:
    return {"raw": raw, "at": _at(raw, text, nth), "not": nots}


def literals() -> list[dict]:
    """Wording taken from real published reports of other provinces (figures are this corpus' own)."""
    out = []

    def add(id_: str, kind: str, form: str, text: str, figures: list[dict], nots: list[dict]) -> None:
        out.append({"id": id_, "kind": kind, "form": form, "text": text, "figures": figures, "not": nots})

    t = "与上年收、支总计1646.08万元相比，增加111.31万元，增长6.76%，主要原因是新增人员经费。"
    add("lit-base-first-01", "grand_total_change", "决算说明", t,
        [F("1646.08", t, scope="department", period="prior", measure="amount", subject="收支总计"),
         F("111.31", t, measure="change"), F("6.76", t, measure="change_rate")],
        [N("1646.08", t, ["department-current-amount", "current"])])
    t = "与2023年“三公”经费决算12.60万元相比，减少2.35万元，下降18.65%，主要原因是公务接待批次减少。"
    add("lit-base-first-02", "sangong_total", "决算说明", t,
        [F("12.60", t, period="prior", measure="amount", subject="三公经费"), F("2.35", t, measure="change"),
         F("18.65", t, measure="change_rate")], [N("12.60", t, ["current"])])
    t = "2024年度支出合计2081.17万元，比2023年度支出合计2265.43万元减少184.26万元，下降8.13%。"
    add("lit-base-first-03", "expense_composition", "决算说明", t,
        [F("2081.17", t, scope="department", period="current", measure="amount", subject="支出合计"),
         F("2265.43", t, scope="department", period="prior", measure="amount", subject="支出合计"),
         F("184.26", t, measure="change"), F("8.13", t, measure="change_rate")],
        [N("2265.43", t, ["department-current-amount", "current"])])
    t = "与 2023 年度相比，收入支出总计增加 307.82 万元，增长 100.00%，主要原因是本部门为2024年新设立部门。"
    add("lit-base-first-04", "grand_total_change", "决算说明", t,
        [F("307.82", t, measure="change"), F("100.00", t, measure="change_rate")],
        [N("307.82", t, ["department-current-amount"])])
    t = "行政单位医疗（2101101）。年初预算为 12.06 万元，支出决算为 11.85 万元，完成年初预算的 98.26%。"
    add("lit-code-01", "item_line", "决算说明", t,
        [F("12.06", t, scope="line", period="budget_initial", measure="amount", subject="行政单位医疗"),
         F("11.85", t, scope="line", period="current", measure="amount", subject="行政单位医疗"),
         F("98.26", t, scope="line", measure="completion")],
        [N("11.85", t, ["department-current-amount"]), N("12.06", t, ["department-current-amount", "current"])])
    t = ("10.卫生健康支出（类）行政事业单位医疗（款）行政单位\n医疗（项）。年初预算为 12.06 万元，支出决算为 11.85 万元，"
         "完成年初预算的 98.26%。\n\n11.卫生健康支出（类）行政事业单位医疗（款）事业单位医疗（项）。年初预算为 4.20 万元，"
         "支出决算为 4.20 万元，完成年初预算的 100.00%。")
    add("lit-broken-label-01", "item_line", "决算说明", t,
        [F("12.06", t, scope="line", period="budget_initial", measure="amount", subject="行政单位医疗"),
         F("11.85", t, scope="line", period="current", measure="amount", subject="行政单位医疗"),
         F("98.26", t, scope="line", measure="completion"),
         F("4.20", t, scope="line", period="budget_initial", measure="amount", subject="事业单位医疗"),
         F("4.20", t, 1, scope="line", period="current", measure="amount", subject="事业单位医疗"),
         F("100.00", t, scope="line", measure="completion")],
        [N("11.85", t, ["department-current-amount"]), N("4.20", t, ["department-current-amount"], 1)])
    t = "“住房公积金（项）”：年初预算为 29.42 万元，支出决算为 29.42 万元，完成年初预算的 100%。"
    add("lit-quoted-01", "item_line", "决算说明", t,
        [F("29.42", t, scope="line", period="budget_initial", measure="amount", subject="住房公积金"),
         F("29.42", t, 1, scope="line", period="current", measure="amount", subject="住房公积金"),
         F("100", t, scope="line", measure="completion")],
        [N("29.42", t, ["department-current-amount"], 1)])
    t = "社区工作者队伍建设经费，年初预算为 86.00 万元，支出决算为 80.81 万\n元，完成年初预算的 93.97%，主要原因是部分人员未到岗。"
    add("lit-project-noquote-01", "item_line", "决算说明", t,
        [F("86.00", t, scope="project", period="budget_initial", measure="amount", subject="社区工作者队伍建设经费"),
         F("80.81", t, scope="project", period="current", measure="amount", subject="社区工作者队伍建设经费"),
         F("93.97", t, measure="completion")],
        [N("80.81", t, ["department-current-amount"]), N("86.00", t, ["department-current-amount", "current"])])
    t = "机关运行经费支出185.41万元，比2024年度增加4.68 万元，增长 2.59%。公务接待费支出决算减\n少 19.66 万元，下降 100.00%。"
    add("lit-broken-word-01", "admin_cost", "决算说明", t,
        [F("185.41", t, scope="department", period="current", measure="amount", subject="机关运行经费"),
         F("4.68", t, measure="change"), F("2.59", t, measure="change_rate"),
         F("19.66", t, measure="change", subject="公务接待费"), F("100.00", t, measure="change_rate")],
        [N("19.66", t, ["department-current-amount", "current"])])
    t = "国内公务接待支出 0.40 万（含外宾接待支出 0 万元），主要用于接待上级部门调研，共计接待 4 批次、26 人次。"
    add("lit-zero-subpart-01", "sangong_parts", "决算说明", t,
        [F("0.40", t, period="current", measure="amount", subject="公务接待费"), F("0", t, scope="subpart"),
         F("4", t, measure="count"), F("26", t, measure="count")],
        [N("0", t, ["subject=公务接待费", "department-current-amount"])])
    t = "2024年度收入合计1509.30万元，其中：一般公共预算财政拨款收入1488.10万元，占98.60%；政府性基金预算财政拨款收入21.20万元，占1.40%。"
    add("lit-component-01", "income", "决算说明", t,
        [F("1509.30", t, scope="department", period="current", measure="amount", subject="收入合计"),
         F("1488.10", t, period="current", measure="amount"), F("98.60", t, measure="share"),
         F("21.20", t, period="current", measure="amount"), F("1.40", t, measure="share")],
        [N("21.20", t, ["subject=财政拨款收入"]), N("1488.10", t, ["subject=财政拨款收入"])])
    t = "2024年度一般公共预算支出1488.10万元，占本年支出合计的98.60%；本年支出合计1509.30万元。"
    add("lit-component-02", "fiscal_expense", "决算说明", t,
        [F("1488.10", t, period="current", measure="amount"), F("98.60", t, measure="share"),
         F("1509.30", t, scope="department", period="current", measure="amount", subject="支出合计")],
        [N("1488.10", t, ["subject=支出合计"])])
    t = "本部门2024年度政府采购支出总额21.07万元，其中：授予中小企业合同金额21.07万元，占政府采购支出总额的100%。"
    add("lit-procurement-01", "procurement", "决算说明", t,
        [F("21.07", t, scope="department", period="current", measure="amount"),
         F("21.07", t, 1, measure="amount"), F("100", t, measure="share")], [])
    t = "2024年度一般公共预算财政拨款支出22, 573, 934. 55元，较2023年度的31, 450, 400. 00元减少8, 876, 465. 45元。"
    add("lit-spaced-01", "fiscal_expense", "决算说明", t,
        [F("22, 573, 934. 55", t, scope="department", period="current", measure="amount"),
         F("31, 450, 400. 00", t, scope="department", period="prior", measure="amount"),
         F("8, 876, 465. 45", t, measure="change")],
        [N("31, 450, 400. 00", t, ["department-current-amount", "current"])])
    t = "1．产出指标(40 分)：得分40分；2．效益指标(30 分)：得分28分；3．满意度指标(10 分)：得分9.5分。"
    add("lit-weight-01", "selfeval_score", "自评报告", t,
        [F("40", t), F("40", t, 1), F("30", t), F("28", t), F("10", t), F("9.5", t)],
        [])
    t = "与2021年相比,收、支总计各减少1267.86,2570.97万元,各下降23.51%、38.29%。"
    add("lit-pairs-01", "grand_total_change", "决算说明", t,
        [F("1267.86", t, measure="change"), F("2570.97", t, measure="change"), F("23.51", t, measure="change_rate"),
         F("38.29", t, measure="change_rate")],
        [N("1267.86", t, ["department-current-amount"]), N("2570.97", t, ["department-current-amount"])])
    t = "一般公共预算财政拨款支出年初预算为 0 万元，全年预算为321.02 万元，支出决算为 307.82 万元，完成全年预算的 95.89%。"
    add("lit-full-budget-01", "initial_vs_final", "决算说明", t,
        [F("0", t, scope="department", period="budget_initial", measure="amount"),
         F("321.02", t, scope="department", period="budget_full", measure="amount"),
         F("307.82", t, scope="department", period="current", measure="amount"),
         F("95.89", t, measure="completion")],
        [N("321.02", t, ["current"]), N("0", t, ["current"])])
    t = "其他收入8.02万元，比上年增加0.78万元，增长10.8%，主要是利息收入增加。"
    add("lit-other-income-01", "income", "决算说明", t,
        [F("8.02", t, period="current", measure="amount"), F("0.78", t, measure="change"),
         F("10.8", t, measure="change_rate")],
        [N("8.02", t, ["subject=收入合计", "subject=财政拨款收入"])])
    t = ("8、社会保障和就业支出（类）行政事业单位养老支出（款）行政单位离退休（项）。年初预算为266.20万元，支出决算为248.02万元，完成年初\f"
         "预算的93.17%，决算数小于年初预算数的主要原因是：人员异动。")
    add("lit-page-break-01", "item_line", "决算说明", t,
        [F("266.20", t, scope="line", period="budget_initial", measure="amount", subject="行政单位离退休"),
         F("248.02", t, scope="line", period="current", measure="amount", subject="行政单位离退休"),
         F("93.17", t, scope="line", measure="completion")],
        [N("248.02", t, ["department-current-amount"])])
    t = ("4、一般公共服务（类）组织事务（款）其他组织事务支\f出（项）。\n\n年初预算为8.00万元，支出决算为7.62万元，"
         "完成年初预算的95.25%。")
    add("lit-page-break-02", "item_line", "决算说明", t,
        [F("8.00", t, scope="line", period="budget_initial", measure="amount", subject="其他组织事务支出"),
         F("7.62", t, scope="line", period="current", measure="amount", subject="其他组织事务支出"),
         F("95.25", t, scope="line", measure="completion")],
        [N("7.62", t, ["department-current-amount"])])
    t = "本部门2024年度机关运行经费支出65.37万元，比上年决算数减少8.16万元，降低\f11.10%。主要原因是：压减一般性支出。"
    add("lit-page-break-03", "admin_cost", "决算说明", t,
        [F("65.37", t, scope="department", period="current", measure="amount", subject="机关运行经费"),
         F("8.16", t, measure="change"), F("11.10", t, measure="change_rate")], [])
    t = ("上海市普陀区某局 2025 年度收入支出总计\n26591.08 万元。与 2024 年度相比，收入支出总计增加 8487.88\n万元，增长 46.89%。")
    add("lit-shanghai-01", "grand_total_change", "决算说明", t,
        [F("26591.08", t, scope="department", period="current", measure="amount", subject="收支总计"),
         F("8487.88", t, measure="change"), F("46.89", t, measure="change_rate")],
        [N("8487.88", t, ["department-current-amount"])])
    t = ("3、文化旅游体育与传媒支出（类）文化和旅游（款）文化\n展示及纪念机构（项）。主要用于：所属事业单位项目支出。年\n"
         "初预算为 6832.84 万元，支出决算为 1700.57 万元。决算数小于预算数的主要原因：部分预算调减。")
    add("lit-shanghai-02", "item_line", "决算说明", t,
        [F("6832.84", t, scope="line", period="budget_initial", measure="amount", subject="文化展示及纪念机构"),
         F("1700.57", t, scope="line", period="current", measure="amount", subject="文化展示及纪念机构")],
        [N("1700.57", t, ["department-current-amount"]), N("6832.84", t, ["department-current-amount", "current"])])
    t = ("2022年度收、支总计各是4125.49,4143.91万元。与2021年相比,收、支总计各减少1267.86,2570.97万元,各下降23.51%、38.29%。")
    add("lit-pairs-02", "grand_total_change", "决算说明", t,
        [F("4125.49", t, scope="department", period="current", measure="amount"),
         F("4143.91", t, scope="department", period="current", measure="amount"),
         F("1267.86", t, measure="change"), F("2570.97", t, measure="change"),
         F("23.51", t, measure="change_rate"), F("38.29", t, measure="change_rate")],
        [N("1267.86", t, ["department-current-amount"]), N("2570.97", t, ["department-current-amount"])])
    t = ("2022年本年收入合计4125.49万元,其中:一般公共预算财政拨款收入3859.16万元,占93.54%;政府性基金预算财政拨款收入0万元,"
         "占0%;上级补助收入0万元,占0%;事业收入0万元,占0%;其他收入266.33万元,占6.46%。")
    add("lit-zero-parts-01", "income", "决算说明", t,
        [F("4125.49", t, scope="department", period="current", measure="amount", subject="收入合计"),
         F("3859.16", t, period="current", measure="amount"), F("93.54", t, measure="share"),
         F("0", t, 0, measure="amount"), F("0", t, 1, measure="share"), F("266.33", t, period="current", measure="amount"),
         F("6.46", t, measure="share")],
        [N("0", t, ["subject=财政拨款收入", "subject=收入合计"], 0), N("0", t, ["subject=收入合计"], 2),
         N("266.33", t, ["subject=收入合计", "subject=财政拨款收入"])])
    t = "本单位2023年度总支出125.08万元，其中本年支出116.12万元，较2022年度决算数增加19.68万元，增长20.41%。"
    add("lit-total-vs-year-01", "expense_composition", "决算说明", t,
        [F("125.08", t, scope="department", period="current", measure="amount"),
         F("116.12", t, scope="department", period="current", measure="amount", subject="支出合计"),
         F("19.68", t, measure="change"), F("20.41", t, measure="change_rate")],
        [N("19.68", t, ["department-current-amount"]), N("125.08", t, ["subject=支出合计"])])
    t = ("2025 年度本部门面向中小企业预留政府采购项目预算金额372.34 万元，面向小微企业预留政府采购项目预算金额 152.92\n"
         "万元。政府采购金额（以合同金额计）合计 412.06 万元。")
    add("lit-procurement-02", "procurement", "决算说明", t,
        [F("372.34", t, measure="amount"), F("152.92", t, measure="amount"),
         F("412.06", t, scope="department", period="current", measure="amount")],
        [N("372.34", t, ["current", "department-current-amount"]), N("152.92", t, ["current", "department-current-amount"])])
    t = "“三公”经费财政拨款支出年初预算为 21.00 万元，支出决算为 17.23 万元，完成预算的 82.05%。2025 年度“三公”经费支出决算数比 2024 年度增加 1.42 万元，增长 8.98%。"
    add("lit-sangong-01", "sangong_total", "决算说明", t,
        [F("21.00", t, period="budget_initial", measure="amount", subject="三公经费"),
         F("17.23", t, period="current", measure="amount", subject="三公经费"), F("82.05", t, measure="completion"),
         F("1.42", t, measure="change"), F("8.98", t, measure="change_rate")],
        [N("21.00", t, ["current"]), N("1.42", t, ["department-current-amount"])])
    # the frames of figures whose meaning the sentence leaves to the reader (held-out wordings,
    # tests/core/checks/test_narrative_heldout.py): complete only where the words say it
    t = "2024年度本年支出合计1,202.44万元。\n基本支出895.76万元，占74.50%，主要用于保障机构正常运转。"
    add("lit-share-whole-elsewhere-01", "expense_composition", "决算说明", t,
        [F("74.50", t, measure="share", subject="基本支出", complete=False)], [])
    # ... unless the sentence's parts of that total add up to it exactly: the arithmetic says what they divide
    t = "2024年度本年支出合计1,202.44万元。\n基本支出895.76万元，占74.50%；项目支出306.68万元，占本年支出合计的25.50%。"
    add("lit-share-whole-elsewhere-02", "expense_composition", "决算说明", t,
        [F("74.50", t, measure="share", subject="基本支出", complete=True),
         F("25.50", t, measure="share", subject="项目支出", complete=True)], [])
    t = "2024年度本年支出合计1,202.44万元。\n基本支出895.76万元，占74.50%；项目支出300.00万元，占25.50%。"
    add("lit-share-whole-elsewhere-03", "expense_composition", "决算说明", t,
        [F("74.50", t, measure="share", subject="基本支出", complete=False),
         F("25.50", t, measure="share", subject="项目支出", complete=False)], [])
    t = "2024年度年初预算为1,500.00万元，调整后预算为1,860.00万元，支出决算1,785.60万元，完成预算的96.00%。"
    add("lit-completion-unsaid-budget-01", "initial_vs_final", "决算说明", t,
        [F("1,500.00", t, period="budget_initial", measure="amount"),
         F("1,860.00", t, period="budget_full", measure="amount"), F("96.00", t, measure="completion", complete=False)],
        [N("1,500.00", t, ["current"]), N("1,860.00", t, ["current"])])
    t = ("2024年度本年支出合计1,785.60万元，其中：基本支出1,000.00万元，项目支出785.60万元，比上年增加85.60万元，"
         "增长12.23%。")
    add("lit-change-after-list-01", "expense_composition", "决算说明", t,
        [F("85.60", t, measure="change", complete=False), F("12.23", t, measure="change_rate", complete=False)],
        [N("85.60", t, ["department-current-amount"])])
    t = ("其中：基本支出年初预算1,000.00万元，支出决算1,000.00万元，完成年初预算的100.00%；项目支出年初预算500.00万元，"
         "支出决算650.30万元，完成年初预算的130.06%。")
    add("lit-thing-then-measure-01", "initial_vs_final", "决算说明", t,
        [F("1,000.00", t, 0, scope="department", period="budget_initial", measure="amount", subject="基本支出"),
         F("1,000.00", t, 1, scope="department", period="current", measure="amount", subject="基本支出"),
         F("500.00", t, scope="department", period="budget_initial", measure="amount", subject="项目支出"),
         F("650.30", t, scope="department", period="current", measure="amount", subject="项目支出"),
         F("130.06", t, measure="completion")],
        [N("1,000.00", t, ["subject=年初预算", "subject=支出合计"], 0), N("650.30", t, ["subject=支出合计"]),
         N("500.00", t, ["subject=年初预算"])])
    t = "财政拨款收入2,100.00万元，财政拨款支出2,150.00万元，财政拨款支出大于收入是使用了上年结转50.00万元。"
    add("lit-figure-after-comparison-01", "fiscal_expense", "决算说明", t,
        [F("2,150.00", t, scope="department", period="current", measure="amount", subject="财政拨款支出"),
         F("50.00", t, complete=False)],
        [N("50.00", t, ["subject=财政拨款支出"])])
    t = "本年支出合计 12 345 678.90 元，其中：基本支出 8 234 567.80 元，项目支出 4 111 111.10 元。"
    add("lit-spaced-groups-01", "expense_composition", "决算说明", t,
        [F("12 345 678.90", t, scope="department", period="current", measure="amount", subject="支出合计"),
         F("8 234 567.80", t, scope="department", period="current", measure="amount", subject="基本支出"),
         F("4 111 111.10", t, scope="department", period="current", measure="amount", subject="项目支出")], [])
    return out


def build() -> list[dict]:
    rows = entries(seed_facts(), "seed")
    rows += entries(random_facts(random.Random(13)), "alt1")
    rows += entries(random_facts(random.Random(29)), "alt2")
    rows += literals()
    return rows


def dump(rows: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    rows = build()
    args.out.write_text(dump(rows), encoding="utf-8")
    print(f"{args.out}: {len(rows)} entries, {sum(len(r['figures']) for r in rows)} figures, "
          f"{sum(len(r['not']) for r in rows)} negatives")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
