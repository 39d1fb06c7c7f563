"""C31, C35: the package as a whole (domain.md §5) — the unit's name the same in every document and no
wording copied from another unit's material (C31); every required document present, and a 项目支出绩效自评表
the report mentions actually attached (C35).
"""

from __future__ import annotations

import re

from core.checks.cross.reading import REPORT, narrative_texts, sentence, short
from core.checks.messages import finding, form_of, where
from core.checks.registry import check
from core.model import Case, Field, Finding, SourceRef
from core.text import label_key

UNIT_NAME_KEYS = ("report.unit_name", "selfeval.unit_name", "basic.unit_name", "accounts.unit_name")
# wording that belongs to another kind of unit: (character the unit's own name would contain, its phrases;
# "本局" not inside "基本局面")
FOREIGN_WORDING = (("局", re.compile(r"局机关|我局|(?<![基根])本局|全局干部职工")),
                   ("厅", re.compile(r"厅机关|我厅|本厅")),
                   ("院", re.compile(r"院机关|我院|(?<![基根])本院")))


def canonical_unit(name: str) -> str:
    """A unit name for comparison: 中国共产党 → 中共, 委员会 → 委, no punctuation, no "（本级）"."""
    k = label_key(name)
    k = k.replace("中国共产党", "中共").replace("委员会", "委")
    return re.sub(r"本级$", "", k)


@check(id="cross.c31_unit_name", severity="warning", ref="domain §5 C31, §6.3 #12")
def c31_unit_name(case: Case) -> list[Finding]:
    """各材料所填单位名称应为同一单位（“中国共产党…委员会组织部”与“中共…委组织部”视为相同）；自评报告中不应出现
    其他类型单位的表述（如组织部报告中的“局机关”）。"""
    out: list[Finding] = []
    names = [f for k in UNIT_NAME_KEYS for f in case.all(k) if isinstance(f.value, str) and f.value.strip()]
    first = names[0] if names else None
    for f in names[1:]:
        a, b = canonical_unit(str(first.value)), canonical_unit(str(f.value))
        if a and b and a != b and a not in b and b not in a:
            out.append(finding(
                "cross.c31_unit_name", "warning",
                f"{where(f)}单位名称为“{f.value}”，{where(first)}为“{first.value}”，不是同一单位",
                [f, first], [f.value, first.value]))
    own = " ".join(str(f.value) for f in names) + " ".join(d.unit_name for d in case.documents)
    if not own.strip():  # the unit's name was read nowhere: which wording is another kind's cannot be told
        return out
    for char, phrases in FOREIGN_WORDING:
        if char in own:
            continue
        for f, text in narrative_texts(case, REPORT):
            m = phrases.search(text)
            if m:
                hit = m.group(0)
                who = f"“{first.value}”" if first is not None else "本单位"
                out.append(finding(
                    "cross.c31_unit_name", "warning",
                    f"{where(f)}出现“{hit}”的表述（{short(text)}），与{who}不符，疑为套用其他单位材料",
                    [f], [hit]))
    return out


# -- C35: the package ----------------------------------------------------------------------------------------

REQUIRED_KINDS = (("自评报告", ("自评报告",)), ("自评表", ("自评表",)), ("基础数据表", ("基础数据表",)),
                  ("部门决算", ("决算说明",) + tuple(f"公开0{i}" for i in range(1, 10))))
PROJECT_SHEET_KINDS = ("项目自评表", "项目支出绩效自评表")


_PROJECT_SHEET_MENTION = re.compile(r"项目(?:支出)?绩效自评表")


@check(id="cross.c35_attachments", severity="warning", ref="domain §5 C35, §6.1 #4, §6.2 #20")
def c35_attachments(case: Case) -> list[Finding]:
    """一套部门整体支出绩效自评材料应包括自评报告、自评表、基础数据表和部门决算；自评报告称附有（或要求填报）
    项目支出绩效自评表的，材料中也应有该表。"""
    kinds = {k for d in case.documents for k in d.kinds}
    review = {k for _, ks in REQUIRED_KINDS for k in ks}
    if not kinds & review:
        return []
    out: list[Finding] = []
    missing = [name for name, ks in REQUIRED_KINDS if not kinds & set(ks)]
    if missing:
        out.append(finding("cross.c35_attachments", "warning", f"材料中没有{'、'.join(missing)}，无法与其核对",
                           [_package_place(case)], missing, keys=[f"documents.{name}" for name in missing]))
    if not kinds & set(PROJECT_SHEET_KINDS):
        said = next(((f, t) for f, t in narrative_texts(case, REPORT) + _placeholders(case)
                     if _PROJECT_SHEET_MENTION.search(t)), None)
        if said is not None:
            f, text = said
            out.append(finding(
                "cross.c35_attachments", "warning",
                f"{where(f)}提到项目支出绩效自评表（{short(text)}），但材料中没有该表",
                [f], ["项目支出绩效自评表"], keys=["documents.项目支出绩效自评表"]))
    return out


def _placeholders(case: Case) -> list[tuple[Field, str]]:
    """Template text the extractor found left in the report (``report.placeholder``): it names attachments
    too."""
    return [(f, f"{f.value}{sentence(f)}") for f in case.all("report.placeholder") if form_of(f) in REPORT]


def _package_place(case: Case) -> SourceRef:
    """Where a package-level finding points: the first page of the first reviewable document (the first
    figure on it when there is one, so the window has a box to show)."""
    for d in case.documents:
        if not d.kinds:
            continue
        page = min(p for ps in d.kinds.values() for p in ps)
        f = next((f for f in case.fields if f.doc == d.id and f.page == page), None)
        return SourceRef(d.id, page, f.bbox if f is not None else (0.0, 0.0, 0.0, 0.0))
    return SourceRef(case.documents[0].id, 1, (0.0, 0.0, 0.0, 0.0))
