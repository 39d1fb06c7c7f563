"""Which of a department's expected materials are in its package: 自评报告, 自评表, 基础数据表, 决算.

Why it exists: a package without its 基础数据表 (or without the 决算 the cross checks read) must be seen in the
district list before anyone opens it, not discovered half-way through a review.  The answer comes from the
page classification the program already does (``core.documents.classify``, titles in ``resources/forms.json``)
— never from file names — and says where it came from:

- the **light read** of the workspace scan classifies the first ``core.workspace.LIGHT_PAGES`` pages of each
  file (a Word, Excel or OFD file is read whole).  It may miss a form printed later in a file (a 决算 PDF
  starts with its cover, 目录 and 概况; a 自评报告 may follow the sheets), so a form it did not see in a file
  it did not read to the end is "not seen" (？), never "missing";
- the **full extraction** (the window opening the case, ``core.batch``, a saved review) classifies every
  page; its answer replaces the light read's for that version of the file, so it corrects both a form the
  light read missed and one it mistook.

A 决算 is any of the 公开01–09 tables or the 决算情况说明.  In a light read, the 决算's 第一部分 概况 (kind
部门概况, which ``classify`` gives only to that part) counts as the 决算 too: it is its first page after the
cover and 目录, and the tables start on the next one.

What it must not do: read files, or import Qt.  It turns per-file kinds into per-material answers; the
workspace keeps the kinds and calls it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

MATERIALS = ("自评报告", "自评表", "基础数据表", "决算")

PRESENT, MISSING, NOT_SEEN = "present", "missing", "not_seen"
LIGHT, FULL = "light", "full"

SYMBOL = {PRESENT: "✓", MISSING: "缺", NOT_SEEN: "？"}
SOURCE_NAME = {LIGHT: "轻读（每个文件的前3页）", FULL: "完整提取"}

_ACCOUNTS_KINDS = frozenset({*(f"公开0{i}" for i in range(1, 10)), "决算说明"})
_LIGHT_ONLY_ACCOUNTS = frozenset({"部门概况"})


def material_of_kind(kind: str, source: str = FULL) -> str | None:
    """The expected material a classified kind belongs to, or None (目录, 名词解释, 项目自评表 …)."""
    if kind in ("自评报告", "自评表", "基础数据表"):
        return kind
    if kind in _ACCOUNTS_KINDS or (source == LIGHT and kind in _LIGHT_ONLY_ACCOUNTS):
        return "决算"
    return None


@dataclass(frozen=True)
class FileKinds:
    """What is known of one file's forms.

    ``kinds``: kind → 1-based pages, as ``Classification.kinds`` / ``DocumentInfo.kinds``.  ``source``: LIGHT
    or FULL.  ``complete``: every page of the file was classified (a full extraction; a light read of a file
    no longer than the pages it reads; a file that cannot be read at all, which holds nothing).
    """

    path: str
    kinds: Mapping[str, list[int]]
    source: str = LIGHT
    complete: bool = False


@dataclass(frozen=True)
class Material:
    """One expected material of a case: present, missing or not seen, where, and from which reading."""

    name: str
    state: str                           # PRESENT | MISSING | NOT_SEEN
    source: str = ""                     # LIGHT | FULL ("" when the case has no file)
    where: tuple[str, ...] = ()          # "自评材料.pdf 第3–4页" for each file holding it

    @property
    def symbol(self) -> str:
        return SYMBOL[self.state]

    def describe(self) -> str:
        """One Chinese line for a tooltip or a note: what, where, from which reading."""
        how = SOURCE_NAME.get(self.source, "")
        if self.state == PRESENT:
            text = f"{self.name}：{'；'.join(self.where)}"
        elif self.state == MISSING:
            text = f"{self.name}：缺，材料中没有"
        else:
            text = f"{self.name}：前3页中未见，完整读取后确认"
        return f"{text}（{how}）" if how else text

    def to_json(self) -> dict:
        return {"name": self.name, "state": self.state, "source": self.source, "where": list(self.where)}


def materials_of(files: Iterable[FileKinds]) -> tuple[Material, ...]:
    """Each expected material (in ``MATERIALS`` order) from what is known of the case's files.

    Present when a file holds it (FULL when a fully read file does); missing when every file was classified
    to its last page and none holds it; not seen otherwise (a light read that stopped before the end of a
    file).  A case with no file lists every material missing.
    """
    files = list(files)
    out = []
    for name in MATERIALS:
        holders: list[tuple[FileKinds, list[int]]] = []
        for f in files:
            pages = sorted({p for kind, ps in f.kinds.items() if material_of_kind(kind, f.source) == name
                            for p in ps})
            if pages:
                holders.append((f, pages))
        if holders:
            source = FULL if any(f.source == FULL for f, _ in holders) else LIGHT
            where = tuple(f"{Path(f.path).name} {_pages_text(pages)}" for f, pages in holders)
            out.append(Material(name, PRESENT, source, where))
        elif all(f.complete for f in files):
            source = "" if not files else (FULL if all(f.source == FULL for f in files) else LIGHT)
            out.append(Material(name, MISSING, source))
        else:
            out.append(Material(name, NOT_SEEN, LIGHT))
    return tuple(out)


def missing_names(materials: Iterable[Material]) -> list[str]:
    return [m.name for m in materials if m.state == MISSING]


def summary_text(materials: Iterable[Material]) -> str:
    """The compact Chinese summary the list and the 汇总表 show: "齐全", "缺基础数据表、决算",
    "缺决算；自评报告未确认"; "" when nothing is known."""
    materials = list(materials)
    if not materials:
        return ""
    missing = missing_names(materials)
    unseen = [m.name for m in materials if m.state == NOT_SEEN]
    parts = []
    if missing:
        parts.append("缺" + "、".join(missing))
    if unseen:
        parts.append("、".join(unseen) + "未确认")
    return "；".join(parts) or "齐全"


def _pages_text(pages: list[int]) -> str:
    """"第3页", "第3–4页", "第1、3–5页"."""
    runs: list[list[int]] = []
    for p in pages:
        if runs and p == runs[-1][-1] + 1:
            runs[-1].append(p)
        else:
            runs.append([p])
    return "第" + "、".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs) + "页"
