"""A district's workspace: the folder a reviewer picks, holding every department's package, each one a case.

Why it exists: a reviewer reviews all of a district's departments over several days.  The window lists the
departments with where each stands (未审 / 审核中 / 已完成, open errors and warnings, who, when), reopens a
half-reviewed one where it was left, and ``main.py batch`` runs every case of the same folder.  Both must see
the same cases, grouped the same way, and the state must survive a restart: so the grouping and the state live
here, in plain Python, and are saved in ``<folder>/.jixiao/workspace.json`` (or a ``store_dir`` given).

What is a case (``Workspace.open`` scans the folder, ``add_folder`` adds another one the same way):

- every subfolder holding PDFs (at any depth below it) is one case, named by the unit printed in its files;
  a subfolder holding files but no PDF is a case too, with its ``problem`` saying so (the reviewer must see
  that a department sent Word files);
- loose PDFs at the top level are grouped into cases by the unit name printed in them (``unit_key`` below);
  a file whose unit cannot be determined is a case of its own named “未识别单位：<file name>”, and a file that
  cannot be read is a case of its own whose ``problem`` is the Chinese reason.

How the unit name is read (a light read, ~0.1 s a file, remembered per file by size and modification time):
the first three pages only (``open_document(page_numbers=…)``), classified and run through the form
extractors (``basic.unit_name`` / ``selfeval.unit_name`` / ``accounts.unit_name``, the same label knowledge as
a full extraction), else a labelled line (填报单位：/ 部门（单位）名称：/ 单位名称：/ 部门：), else a cover or
title line that is a unit's name (ends in 部/局/委/办/中心/…, or precedes “2024年度…绩效/决算”).  Template
placeholders (“XX(单位盖章)”) do not count as a name.

Expected materials (``core.materials``, issue 20): every file of a case is light-read once, and the forms on
the pages read are kept with it (``_File.kinds``, source "light"); a full extraction of the case
(``record_case``, a batch's ``record_counts(kinds=…)``, the review read by ``refresh``) replaces them for that
version of each file (source "full").  ``CaseEntry.materials`` says for 自评报告 / 自评表 / 基础数据表 / 决算
whether each is present (in which file and pages), missing, or not seen yet, and from which reading.

Grouping rule (``unit_key``): two printed names are the same unit when they are equal after
NFKC and whitespace removal; dropping a trailing seal remark “(单位盖章)”, “(盖章)”, “(制)”; writing
中国共产党 as 中共, 委员会 as 委 and 人民政府 as 政府; dropping a leading 中共; dropping a leading province
(“湖南省”) and a leading city when a district or county follows (“岳阳市云溪区…” → “云溪区…”).  So
“中共岳阳市云溪区委组织部”, “中国共产党岳阳市云溪区委员会组织部” and “云溪区委组织部” are one unit; “岳阳市财政局”
stays as it is (no district follows the city).  Nothing fuzzier: two different units must never merge.

The review of a case is an ordinary case file (``core.review.store``) in ``<store>/reviews``, named by
``store.case_path_for_case`` from its sources' sha256 like any review the window keeps;
``CaseEntry.case_file`` is where it is (or will be), and the window opens and saves it there.
``refresh(case_id)`` re-reads the counts after a save.  A changed source is flagged (``sources_changed``),
never silently re-read.

Events (``subscribe(callback)``; ``callback(event, payload)``, plain Python, no Qt):
``cases_did_change`` with a ``WorkspaceChange`` (ids added / removed / changed) and ``save_failed`` with the
``OutputError`` (Chinese reason; the state is kept in memory and the next change tries again).

What it must not do: import Qt, extract a whole case (the window and ``core.batch`` do, through
``core.pipeline``), or write a file other than through ``core.review.atomic``.  It is not thread-safe: call it
from one thread (the window's), and hand long work (``open``, ``add_folder``) to an operation with progress
and cancel.  Two programs writing the same workspace at once: the last save wins.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterable

from core import __version__
from core.events import Listener, Listeners
from core.documents.reader import SUPPORTED_SUFFIXES
from core.errors import Cancelled, DocumentError, OutputError, os_error_reason
from core.model import Case, DocumentInfo, Severity
from core.case_cache import load_cached_case
from core.materials import FULL, LIGHT, FileKinds, Material, materials_of
from core.review.atomic import write_text_atomic

log = logging.getLogger(__name__)

SCHEMA = "review-workspace/1"
STORE_NAME = ".jixiao"
WORKSPACE_FILE = "workspace.json"
REVIEWS_DIR = "reviews"
CACHE_DIR = "cache"

UNREVIEWED, IN_PROGRESS, DONE = "未审", "审核中", "已完成"
STATUSES = (UNREVIEWED, IN_PROGRESS, DONE)

CASES_DID_CHANGE = "cases_did_change"
SAVE_FAILED = "save_failed"

KIND_FOLDER, KIND_GROUP, KIND_FILE = "folder", "group", "file"
UNKNOWN_UNIT = "未识别单位"
LIGHT_PAGES = 3

Progress = Callable[[str, int, int], None]
Cancel = Callable[[], bool]


# -- what the window sees -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class CaseEntry:
    """One department's case in the workspace, as the window lists it.

    ``open_errors`` / ``open_warnings`` are None until the case has been extracted (by the window or a batch);
    after a review they count the findings not decided 已核实 or 不适用.  ``modified`` is ISO 8601 local time
    ("" never changed).  ``case_file`` is where its review is kept (it may not exist yet).  ``problem`` is a
    Chinese reason the case cannot be reviewed as it is ("" when fine).  ``sources_changed``: a file of the
    case changed (or went) since its review or its counts were taken.
    """

    id: str
    name: str
    kind: str                      # "folder" (a subfolder) | "group" (loose files of one unit) | "file"
    folder: Path | None            # the department's subfolder (kind "folder"), else None
    files: tuple[Path, ...]        # the case's PDFs (absolute), sorted
    status: str                    # 未审 / 审核中 / 已完成
    open_errors: int | None
    open_warnings: int | None
    reviewer: str
    modified: str
    case_file: Path
    problem: str = ""
    sources_changed: bool = False
    unit_key: str = ""             # the grouping key of ``name`` ("" when no unit name is known)
    materials: tuple[Material, ...] = ()  # 自评报告 / 自评表 / 基础数据表 / 决算: present, missing, not seen
    reopened: str = ""             # ISO time new material reopened the case ("" not since it was last 已完成)
    earlier_review: Path | None = None  # where the review of the earlier material is kept (its history)

    @property
    def has_review(self) -> bool:
        return self.case_file.is_file()


@dataclass(frozen=True)
class Completion:
    """Whether a case may be 已完成 (复核完成), and if not, why (Chinese, one reason a line)."""

    complete: bool
    reasons: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return "；".join(self.reasons)


class NotComplete(ValueError):
    """``set_status(…, 已完成)`` refused: the case's review is not complete.  ``str()`` is the Chinese message
    for the reviewer; ``reasons`` the reasons one by one."""

    def __init__(self, name: str, reasons: Iterable[str]) -> None:
        self.reasons = tuple(reasons)
        super().__init__(f"“{name}”还不能设为{DONE}：{'；'.join(self.reasons)}")


@dataclass(frozen=True)
class WorkspaceChange:
    """What one operation changed, by case id, so each view decides what to refresh."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


# -- unit names ---------------------------------------------------------------------------------------------

_SEAL = re.compile(r"[(（【\[][^()（）【】\[\]]{0,8}(?:盖章|公章|印章|章|制)[)）】\]]$")
_PROVINCE = re.compile(r"^[\u4e00-\u9fff]{2,3}(?:省|自治区)")
_CITY_BEFORE_DISTRICT = re.compile(r"^[\u4e00-\u9fff]{2,4}?(?:市|州|盟|地区)(?=[\u4e00-\u9fff]{1,5}?[区县旗])")
_PLACEHOLDER = re.compile(r"X{2,}|×{2,}|\*{2,}|x{2,}|〇〇|某某")
_ORG_SUFFIXES = (
    "办公室", "委员会", "管委会", "工委", "人民政府", "政府", "法院", "检察院", "中心", "集团", "公司", "协会",
    "部", "局", "委", "办", "院", "会", "所", "站", "队", "馆", "校", "厅", "处", "社", "联", "团", "署",
)
_NOT_A_NAME = re.compile(
    r"报告|表|说明|情况|概况|职能|职责|决算|预算|绩效|评价|目录|部分|附件|名词|解释|单位名称|部门名称|填报|日期|"
    r"编码|方式|机构|主要|基本|支出|收入|项目|合计|负责|完成|工作(?!部|委|局|办|室|处|站|队|中心)")
_LABELLED = re.compile(
    r"(?:填报单位|预算部门\(单位\)名称|部门\(单位\)名称|预算单位名称|预算部门名称|单位名称|部门名称|编制单位|"
    r"报送单位|^部门)\s*[:：]\s*(.+)")
_LABEL_END = re.compile(r"(?:金额)?单位\s*[:：]|\s{2,}|预算编码|报告日期|日期\s*[:：]|\d{4}\s*年")
_TITLE_UNIT = re.compile(
    r"^(?:\d{4}年度?)?(.{3,40}?)(?:\d{4}年度?|年度)?(?:部门|单位)?(?:整体支出|部门整体|整体|部门决算|决算|"
    r"绩效|预算)")


def clean_unit_name(name: str) -> str:
    """A printed unit name as it should be shown: normalised, without whitespace or a seal remark."""
    from core.text import normalize

    s = re.sub(r"\s+", "", normalize(str(name or "")))
    s = s.strip(":：,，;；.。、")
    while True:
        t = _SEAL.sub("", s)
        if t == s:
            break
        s = t
    return s


_SHORT_FORMS = (("中国共产党", "中共"), ("委员会", "委"), ("人民政府", "政府"))


def short_name_form(text: str) -> str:
    """``text`` with the long forms of unit names written short: 中国共产党 as 中共, 委员会 as 委, 人民政府 as
    政府.  The one rule for ``unit_key``, ``district_of`` and the district's search for other units' names in a
    narrative (``core.copies``), so a name is found however it was printed."""
    for long, short in _SHORT_FORMS:
        text = text.replace(long, short)
    return text


def unit_key(name: str) -> str:
    """The grouping key of a unit name (see the module docstring for the rule); "" for no usable name."""
    s = clean_unit_name(name)
    if not plausible_unit_name(s):
        return ""
    s = s.replace("(", "（").replace(")", "）")
    s = short_name_form(s).removeprefix("中共")
    s = _PROVINCE.sub("", s)
    s = _CITY_BEFORE_DISTRICT.sub("", s)
    return s


def plausible_unit_name(name: str) -> bool:
    """At least three Chinese characters and no template placeholder (“XX(单位盖章)”, “××局”)."""
    if not name or _PLACEHOLDER.search(name):
        return False
    return len(re.findall(r"[\u4e00-\u9fff]", name)) >= 3


def district_of(names: Iterable[str]) -> str:
    """The district (区/县) most of these units belong to, with its city when printed (“岳阳市云溪区”), or ""
    when no district is shared by more than half of them."""
    found: list[str] = []
    n = 0
    for name in names:
        s = clean_unit_name(name)
        if not plausible_unit_name(s):
            continue
        n += 1
        s = _PROVINCE.sub("", short_name_form(s).removeprefix("中共"))
        m = re.match(r"^((?:[\u4e00-\u9fff]{2,4}?(?:市|州))?[\u4e00-\u9fff]{2,4}?[区县])", s)
        if m:
            found.append(m.group(1))
    if not found:
        return ""
    short = Counter(re.sub(r"^[\u4e00-\u9fff]{2,4}?(?:市|州)(?=[\u4e00-\u9fff]{2,4}?[区县]$)", "", d)
                    for d in found)
    best, count = short.most_common(1)[0]
    if count * 2 <= n:
        return ""
    longest = max((d for d in found if d.endswith(best)), key=len)
    return longest


def _is_org_name(text: str) -> bool:
    s = clean_unit_name(text)
    if not (3 <= len(s) <= 40) or re.search(r"\d|[,;:。；：，、!?！？“”]", s):
        return False
    if _NOT_A_NAME.search(s) or not plausible_unit_name(s):
        return False
    return s.endswith(_ORG_SUFFIXES)


def unit_name_from_lines(lines: Iterable[str]) -> str:
    """A unit name from the text lines of a document's first pages: a labelled line first, then a cover or
    title line that is a unit's name; "" when none."""
    lines = [ln.strip() for ln in lines if ln and ln.strip()]
    for ln in lines:
        m = _LABELLED.search(ln)
        if m:
            value = _LABEL_END.split(m.group(1))[0]
            value = clean_unit_name(value)
            if plausible_unit_name(value):
                return value
    for i, ln in enumerate(lines):
        # a cover prints the name over two or three lines ("中共上海市普陀区委 / 社会工作部 2024 年度 / 部门决算"):
        # the title read across them comes before the first line taken as a name on its own
        for n in (1, 2, 3):
            m = _TITLE_UNIT.match(re.sub(r"\s+", "", "".join(lines[i:i + n])))
            if m and _is_org_name(m.group(1)):
                return clean_unit_name(m.group(1))
        if _is_org_name(ln):
            return clean_unit_name(ln)
    return ""


@dataclass(frozen=True)
class LightRead:
    """What the light read of one file found: its unit name ("" unknown), or why it cannot be read; the
    forms on the pages it read (kind → pages, ``core.materials``) and whether those were all of its pages."""

    unit_name: str = ""
    problem: str = ""
    kinds: dict[str, list[int]] = field(default_factory=dict)
    complete: bool = False


def read_unit_name(path: str | Path, *, pages: int = LIGHT_PAGES) -> LightRead:
    """The unit printed in a PDF, from its first ``pages`` pages (see the module docstring).  Never raises
    for a bad file: ``problem`` holds the Chinese reason instead."""
    from core.documents.classify import classify
    from core.documents.reader import open_any
    from core.pipeline import extract_document

    try:
        doc = open_any(path, "d1", page_numbers=range(1, pages + 1))  # a Word/Excel/OFD file is read whole
    except DocumentError as e:
        return LightRead(problem=e.reason)
    names: dict[str, str] = {}
    read = len(doc.pages) if doc.format != "pdf" else min(pages, len(doc.pages))
    kinds: dict[str, list[int]] = {}
    try:
        cls = classify(doc)
        kinds = {k: [p for p in ps if p <= read] for k, ps in cls.kinds.items()}
        kinds = {k: ps for k, ps in kinds.items() if ps}
        case = Case()
        extract_document(doc, cls, case)
        for f in case.fields:
            if f.key.endswith("unit_name") and isinstance(f.value, str):
                names.setdefault(f.key.split(".")[0], f.value)
    except Exception:  # a partial document may trip an extractor; the text below still names the unit
        log.debug("light extraction failed for %s", path, exc_info=True)
    complete = read >= len(doc.pages)
    for family in ("basic", "selfeval", "accounts"):
        name = clean_unit_name(names.get(family, ""))
        if plausible_unit_name(name):
            return LightRead(unit_name=name, kinds=kinds, complete=complete)
    lines = [ln.text for p in doc.pages if p.number <= pages for ln in p.lines[:40]]
    return LightRead(unit_name=unit_name_from_lines(lines), kinds=kinds, complete=complete)


# -- the workspace ------------------------------------------------------------------------------------------

@dataclass
class _File:
    """A source file as the workspace remembers it (so a re-open does not re-hash or re-read it)."""

    path: Path
    sha256: str = ""
    size: int = -1
    mtime_ns: int = -1
    unit_name: str = ""
    problem: str = ""
    read: bool = False  # the light read ran on this version of the file
    # the forms in this version of the file (``core.materials``): None not yet classified (a workspace file
    # of an earlier version), from the light read or, once the case was extracted, the full extraction
    kinds: dict[str, list[int]] | None = None
    kinds_source: str = ""           # "light" | "full"
    kinds_complete: bool = False     # every page was classified

    def file_kinds(self) -> FileKinds:
        if self.problem:  # nothing can be read from it: it holds none of the materials
            return FileKinds(str(self.path), {}, self.kinds_source or LIGHT, complete=True)
        return FileKinds(str(self.path), dict(self.kinds or {}), self.kinds_source or LIGHT,
                         complete=self.kinds is not None and self.kinds_complete)

    def same_version(self, st: os.stat_result) -> bool:
        return self.size == st.st_size and self.mtime_ns == st.st_mtime_ns and bool(self.sha256)


@dataclass
class _Entry:
    id: str
    kind: str
    name: str
    folder: Path | None
    files: list[_File]
    status: str = UNREVIEWED
    open_errors: int | None = None
    open_warnings: int | None = None
    reviewer: str = ""
    modified: str = ""
    case_file: Path | None = None
    problem: str = ""                # from the scan: no PDF in the folder, an unreadable file
    failure: str = ""                # from a batch: why nothing could be read (cleared by a success)
    named: bool = False              # ``name`` is a printed unit name, not a folder or file name
    counted: list[str] = field(default_factory=list)  # sha256s of the sources the counts were taken from
    cache_file: Path | None = None   # a batch's cached case JSON of these sources
    missing: bool = False            # its files are no longer in the folder
    reopened: str = ""               # when new material reopened it (``_reopen``); "" never, or set 已完成 since
    earlier_review: Path | None = None  # the copy of the earlier material's review in the new one's history

    def digests(self) -> list[str]:
        return sorted({f.sha256 for f in self.files if f.sha256 and not f.problem})


def now_iso() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


class Workspace:
    """The cases of a district folder and the state of their review.  Build it with ``Workspace.open``."""

    def __init__(self, folder: Path, store_dir: Path, *, exclude: Iterable[str | Path] = ()) -> None:
        self.folder = Path(os.path.abspath(folder))
        self.store_dir = Path(os.path.abspath(store_dir))
        self.roots: list[Path] = [self.folder]
        self.reviewer = ""
        self.created = ""
        self.modified = ""
        self.warnings: list[str] = []  # Chinese notes for the reviewer (a damaged workspace file set aside …)
        self.last_error: OutputError | None = None
        self._exclude = {Path(os.path.abspath(p)) for p in exclude} | {self.store_dir}
        self._entries: dict[str, _Entry] = {}
        self._events = Listeners(reraise=False)

    # -- where things are ---------------------------------------------------------------------------------
    @property
    def path(self) -> Path:
        """The workspace file."""
        return self.store_dir / WORKSPACE_FILE

    @property
    def review_dir(self) -> Path:
        """Where the case files of the reviews are (the window's ``store_dir`` for these cases)."""
        return self.store_dir / REVIEWS_DIR

    @property
    def cache_dir(self) -> Path:
        """Where ``core.batch`` keeps the extracted case of each set of sources."""
        return self.store_dir / CACHE_DIR

    @property
    def title(self) -> str:
        """The district the units belong to (“岳阳市云溪区”), else the folder's name."""
        return district_of(e.name for e in self._entries.values()) or self.folder.name

    # -- opening ------------------------------------------------------------------------------------------
    @classmethod
    def open(cls, folder: str | Path, store_dir: str | Path | None = None, *,
             progress: Progress | None = None, cancel: Cancel | None = None,
             exclude: Iterable[str | Path] = (), save: bool = True) -> "Workspace":
        """Open (or start) the workspace of ``folder``: read its saved state, scan the folder(s) for cases,
        save.  ``store_dir`` defaults to ``<folder>/.jixiao``; ``exclude`` are folders not to scan (an output
        folder inside the workspace).  Raises ``DocumentError`` when ``folder`` is not a folder and
        ``Cancelled`` when ``cancel`` says so; a failed save does not raise (``last_error``, ``save_failed``).
        """
        folder = Path(os.path.abspath(folder))
        if not folder.is_dir():
            raise DocumentError(str(folder), "不是文件夹或文件夹不存在", code="not_dir")
        ws = cls(folder, Path(store_dir) if store_dir is not None else folder / STORE_NAME, exclude=exclude)
        ws._load()
        ws._rescan(progress, cancel)
        if save:
            ws._autosave()
        return ws

    # -- reading ------------------------------------------------------------------------------------------
    def list_cases(self) -> list[CaseEntry]:
        """Every case, folders first then loose groups, each by name."""
        order = {KIND_FOLDER: 0, KIND_GROUP: 1, KIND_FILE: 2}
        entries = sorted(self._entries.values(), key=lambda e: (order.get(e.kind, 3), e.name, e.id))
        return [self._public(e) for e in entries]

    def case(self, case_id: str) -> CaseEntry:
        """The case with this id.  Raises ``KeyError``."""
        return self._public(self._entries[case_id])

    def digests(self, case_id: str) -> list[str]:
        """The sha256s of the case's readable files, sorted (the identity of its material)."""
        return self._entries[case_id].digests()

    def sources(self, case_id: str) -> list[Path]:
        """The files to open for this case (``core.pipeline.extract_case`` or the window's open job)."""
        return [f.path for f in self._entries[case_id].files]

    def cached_case(self, case_id: str) -> Case | None:
        """The case a batch extracted from exactly these sources, if it is still cached (saves the window an
        extraction); None otherwise."""
        e = self._entries[case_id]
        if e.cache_file is None or not e.cache_file.is_file() or e.counted != e.digests():
            return None
        return load_cached_case(e.cache_file, self.sources(case_id))

    def completion(self, case_id: str, session: Any = None) -> Completion:
        """Whether the case may be 已完成 (复核完成): its review decides every error and warning and leaves no
        required check open (``core.checks.coverage.review_complete``, the one rule; the window, ``batch`` and
        this use it).  The review read is ``session`` (the window's ``ReviewSession`` of this case, as it is
        in memory), else the case's review file, else a batch's cached extraction of exactly these files with
        no decision yet (complete only if it has no error, no warning and nothing to check by hand).  A case
        never extracted, one whose files changed since its review (it was reopened), and one with no readable
        file are not complete.  Raises ``KeyError``."""
        e = self._entries[case_id]
        if not e.files or all(f.problem for f in e.files):
            return Completion(False, (e.problem or e.failure or _NOTHING_READ,))
        if e.missing:
            return Completion(False, ("材料文件已不在文件夹中",))
        changed = Completion(False, ("材料在审核后有变动，需按新材料重新审核",))
        if session is not None:
            if {d.sha256 for d in session.case.documents if d.sha256} != set(e.digests()):
                return changed
            return review_completion(session.case, session)
        from core.review.store import CaseFileError, load_case

        if e.case_file is not None and e.case_file.is_file():
            try:
                case, logs = load_case(e.case_file)
            except CaseFileError as err:
                return Completion(False, (f"审核记录无法读取（{err.reason}）",))
            if {d.sha256 for d in case.documents if d.sha256} != set(e.digests()):
                return changed
            return review_completion(case, logs)
        cached = self.cached_case(case_id)
        if cached is not None:
            return review_completion(cached, None)
        if e.reopened:
            return Completion(False, ("材料已更新，尚未按新材料审核",))
        return Completion(False, ("尚未审核：请先打开该部门的材料",))

    # -- changing -----------------------------------------------------------------------------------------
    def set_status(self, case_id: str, status: str, *, reviewer: str | None = None,
                   session: Any = None) -> CaseEntry:
        """Set a case's status (未审 / 审核中 / 已完成); saved at once.  已完成 only when ``completion`` says
        the review is complete (``session``: the window's review of this case in memory).  Raises
        ``KeyError`` for an unknown case, ``ValueError`` (Chinese) for an unknown status, ``NotComplete`` (a
        ``ValueError`` whose text names the reasons) when 已完成 is refused."""
        if status not in STATUSES:
            raise ValueError(f"未知的审核状态“{status}”（应为{'、'.join(STATUSES)}）")
        e = self._entries[case_id]
        if status == DONE:
            done = self.completion(case_id, session)
            if not done.complete:
                raise NotComplete(e.name, done.reasons)
            e.reopened = ""
        e.status = status
        if reviewer is not None:
            e.reviewer = reviewer
        elif not e.reviewer and self.reviewer:
            e.reviewer = self.reviewer
        e.modified = now_iso()
        self._changed(WorkspaceChange(changed=(case_id,)))
        return self._public(e)

    def set_reviewer(self, name: str) -> None:
        """The workspace's reviewer (given to a case whose status they change and which has none)."""
        self.reviewer = name
        self._autosave()

    def refresh(self, case_id: str, case_file: str | Path | None = None) -> CaseEntry:
        """Re-read a case's counts, reviewer and last change from its review file, after the window saved it
        (``case_file``: where it saved it, if not at ``CaseEntry.case_file``).  A case not yet begun
        becomes 审核中.  Nothing changes when there is no review file."""
        from core.review.store import CaseFileError, find_case, load_case

        e = self._entries[case_id]
        path = Path(case_file) if case_file is not None else e.case_file
        if path is None or not path.is_file():
            try:
                path = find_case(self.sources(case_id), self.review_dir) if e.files else None
            except DocumentError:
                path = None
        if path is None or not path.is_file():
            return self._public(e)
        try:
            case, logs = load_case(path)
        except CaseFileError as err:
            log.warning("cannot read review %s: %s", path, err.reason)
            return self._public(e)
        if e.reopened and {d.sha256 for d in case.documents if d.sha256} != set(e.digests()):
            return self._public(e)  # the review of the earlier material (kept in the history): not this one's
        e.case_file = Path(os.path.abspath(path))
        _take_kinds(e, document_kinds(case))
        e.open_errors, e.open_warnings = count_open(case, logs.decisions.is_closed)
        e.counted = sorted({d.sha256 for d in case.documents if d.sha256})
        if logs.reviewer:
            e.reviewer = logs.reviewer
        e.modified = _later_of(e.modified, logs.modified) or now_iso()
        if e.status == UNREVIEWED:
            e.status = IN_PROGRESS
        elif e.status == DONE and not review_completion(case, logs).complete:
            e.status = IN_PROGRESS  # a decision withdrawn after 已完成: the review is open again
        self._name_from_case(e, case)
        self._changed(WorkspaceChange(changed=(case_id,)))
        return self._public(e)

    def record_case(self, case_id: str, case: Case, *, cache_file: str | Path | None = None,
                    save: bool = True) -> CaseEntry:
        """Take the counts of a freshly extracted case (the window may call this after extracting).  A case
        with a review keeps the counts of its review."""
        errors, warnings = count_open(case)
        return self.record_counts(case_id, errors=errors, warnings=warnings,
                                  digests=[d.sha256 for d in case.documents if d.sha256],
                                  unit_name=case_unit_name(case), cache_file=cache_file, save=save,
                                  kinds=document_kinds(case))

    def record_counts(self, case_id: str, *, errors: int | None, warnings: int | None,
                      digests: Iterable[str], unit_name: str = "", cache_file: str | Path | None = None,
                      save: bool = True, kinds: dict[str, dict[str, list[int]]] | None = None) -> CaseEntry:
        """The counts of a case extracted elsewhere (``core.batch``'s workers), for ``digests`` (the sha256s
        of the sources read).  A case whose review file exists keeps the counts of its review, taken with the
        reviewer's decisions (``refresh``).  ``kinds`` (sha256 → the forms on its pages, ``document_kinds``)
        replaces what the light read found in those files (``core.materials``)."""
        e = self._entries[case_id]
        if kinds:
            _take_kinds(e, kinds)
        if cache_file is not None:
            e.cache_file = Path(os.path.abspath(cache_file))
        if not (e.case_file is not None and e.case_file.is_file()):
            e.open_errors, e.open_warnings = errors, warnings
            e.counted = sorted(set(digests))
        if not e.named and plausible_unit_name(unit_name):
            e.name, e.named = unit_name, True
        e.failure = ""
        self._changed(WorkspaceChange(changed=(case_id,)), save=save)
        return self._public(e)

    def record_failure(self, case_id: str, reason: str, *, save: bool = True,
                       kinds: dict[str, dict[str, list[int]]] | None = None) -> CaseEntry:
        """A case that could not be read at all (``core.batch``): its ``problem`` says why (``kinds``: what
        its files were found to be, as in ``record_counts``)."""
        e = self._entries[case_id]
        if kinds:
            _take_kinds(e, kinds)
        e.failure = reason or _NOTHING_READ
        self._changed(WorkspaceChange(changed=(case_id,)), save=save)
        return self._public(e)

    def add_folder(self, path: str | Path, *, progress: Progress | None = None,
                   cancel: Cancel | None = None) -> list[CaseEntry]:
        """Add a folder of new packages (subfolders and loose files, grouped as at ``open``); return the cases
        it added.  A folder already inside the workspace only rescans.  Raises ``DocumentError`` when
        ``path`` is not a folder."""
        p = Path(os.path.abspath(path))
        if not p.is_dir():
            raise DocumentError(str(p), "不是文件夹或文件夹不存在", code="not_dir")
        if not any(_inside(p, r) for r in self.roots):
            self.roots.append(p)
        change = self._rescan(progress, cancel)
        self._autosave()
        return [self._public(self._entries[i]) for i in change.added]

    def rescan(self, *, progress: Progress | None = None, cancel: Cancel | None = None) -> WorkspaceChange:
        """Look at the folders again (new departments, changed or removed files) and save."""
        change = self._rescan(progress, cancel)
        self._autosave()
        return change

    def check_case(self, case_id: str) -> CaseEntry:
        """Look at one case's files again before it is opened (a department may have sent a file again since
        the last scan): a file whose size or modification time changed is hashed and light-read again, and new
        material reopens the case (``_reopen``), as a rescan would.  Files added to its folder wait for a
        rescan.  Cheap when nothing changed (no file is read).  Raises ``KeyError``."""
        e = self._entries[case_id]
        before = e.digests()
        files = [_file_info(f.path, f, need_name=True) for f in e.files]
        if [(f.sha256, f.problem) for f in files] == [(f.sha256, f.problem) for f in e.files]:
            return self._public(e)
        e.files = files
        if before and e.digests() != before:
            e.failure = ""
            if e.digests():
                self._reopen(e)
        self._changed(WorkspaceChange(changed=(case_id,)))
        return self._public(e)

    def save(self) -> Path:
        """Write ``workspace.json`` atomically.  Raises ``OutputError`` (Chinese reason)."""
        self.modified = now_iso()
        if not self.created:
            self.created = self.modified
        text = json.dumps(self._to_json(), ensure_ascii=False, indent=1) + "\n"
        try:
            self.store_dir.mkdir(parents=True, exist_ok=True)
            write_text_atomic(self.path, text)
        except OSError as e:
            raise OutputError(str(self.path), os_error_reason(e, "审核工作区")) from e
        self.last_error = None
        return self.path

    def subscribe(self, callback: Listener) -> Callable[[], None]:
        """``callback(event, payload)`` on every change; returns the function that unsubscribes."""
        return self._events.subscribe(callback)

    # -- internals ----------------------------------------------------------------------------------------
    @staticmethod
    def _name_from_case(e: _Entry, case: Case) -> None:
        if not e.named:
            name = case_unit_name(case)
            if name:
                e.name, e.named = name, True

    def _notify(self, event: str, payload: Any) -> None:
        self._events.notify(event, payload)  # a broken view must not break the workspace

    def _autosave(self) -> bool:
        try:
            self.save()
        except OutputError as e:
            self.last_error = e
            self._notify(SAVE_FAILED, e)
            return False
        return True

    def _changed(self, change: WorkspaceChange, *, save: bool = True) -> None:
        if save:
            self._autosave()
        if change:
            self._notify(CASES_DID_CHANGE, change)

    def _public(self, e: _Entry) -> CaseEntry:
        case_file = e.case_file or self._case_file_for(e)
        changed = bool(e.counted) and e.counted != e.digests()
        problem = e.problem or e.failure
        if e.missing and not problem:
            problem = "材料文件已不在文件夹中"
        return CaseEntry(
            id=e.id, name=e.name, kind=e.kind, folder=e.folder, files=tuple(f.path for f in e.files),
            status=e.status, open_errors=e.open_errors, open_warnings=e.open_warnings, reviewer=e.reviewer,
            modified=e.modified, case_file=case_file, problem=problem, sources_changed=changed or e.missing,
            unit_key=unit_key(e.name) if e.named else "",
            materials=materials_of(f.file_kinds() for f in e.files),
            reopened=e.reopened, earlier_review=e.earlier_review,
        )

    def _reopen(self, e: _Entry, prior: Path | None = None) -> None:
        """New material for a case (a file changed — its sha256 —, was added or went): it is reviewed again.

        Its review of the earlier material is kept as history: copied, with the reviews kept before it, into the
        history of the review the new material gets (``core.review.store.carry_history``), so ``main.py history`` and
        文件 › 审核记录历史… list it with its decisions, corrections, verdicts and conclusions; the file itself
        stays where it was.  ``case_file`` becomes the new material's review (not written yet: opening the case
        extracts the new files).  A case 已完成 is 审核中 again — a completed review was of other files; one
        未审 stays so.  The counts stay, flagged as old (``sources_changed``) until the new ones are taken.

        Decisions on findings are not carried over, not even as proposals for findings that read the same in
        the new version: a finding's fingerprint names its check and figures, not the pages and paragraphs
        around them, which are what a department changes when it sends a file again; an 排除 carried over would
        close a finding on material the reviewer has not read, and 复核完成 must mean that every finding of
        *this* version was decided by a person.  The earlier decisions are one click away in the history.
        """
        from core.review.store import carry_history, history_dir

        earlier = prior or e.case_file  # where the earlier files' review is, or would have been
        e.case_file = None
        new_path = self._case_file_for(e)
        if earlier is not None and os.path.abspath(earlier) != os.path.abspath(new_path):
            try:  # the earlier files' review, and those kept before it (a file sent a third time)
                kept = carry_history(earlier, new_path)
                if kept is None and e.earlier_review is not None:
                    kept = history_dir(new_path) / e.earlier_review.name  # the previous one, carried along
                if kept is not None and kept.is_file():
                    e.earlier_review = kept
            except OSError as err:  # the earlier review stays where it is; say so
                log.warning("cannot keep %s in the history of %s: %s", earlier, new_path, err)
                self.warnings.append(f"“{e.name}”的材料已更新，但较早的审核记录未能存入审核记录历史"
                                     f"（{os_error_reason(err, '审核记录')}），它仍在：{earlier}")
                e.earlier_review = earlier
        e.case_file = new_path
        if e.status == DONE:
            e.status = IN_PROGRESS
        e.reopened = now_iso()
        e.modified = e.reopened

    def _case_file_for(self, e: _Entry) -> Path:
        """Where the review of these sources goes: the window's naming (``case_path_for_case``); two cases
        of the workspace with byte-identical sources get distinct files."""
        from core.review.store import case_path_for_case

        digests = e.digests()
        if not digests:
            return self.review_dir / f"{_slug(e.id)}.case.json"
        probe = Case(documents=[DocumentInfo(id="", path="", sha256=d, pages=0) for d in digests])
        path = case_path_for_case(probe, self.review_dir)
        taken = {o.case_file for o in self._entries.values() if o is not e and o.case_file is not None}
        if path in taken:
            path = path.with_name(path.name.replace(".case.json", f"-{_slug(e.id)[:40]}.case.json"))
        return path

    # scanning
    def _rescan(self, progress: Progress | None, cancel: Cancel | None) -> WorkspaceChange:
        known: dict[Path, _File] = {f.path: f for e in self._entries.values() for f in e.files}
        found = self._scan_roots(known, progress, cancel)
        added, removed, changed = [], [], []
        for cid, new in found.items():
            old = self._entries.get(cid)
            if old is None:
                self._entries[cid] = new
                added.append(cid)
                continue
            before = (old.digests(), old.name, old.problem, old.missing, [f.path for f in old.files])
            new_material = bool(old.digests()) and old.digests() != new.digests()
            if old.digests() != new.digests():
                old.failure = ""  # new material: a batch's verdict on the old one no longer holds
            old.files, old.folder, old.kind, old.missing = new.files, new.folder, new.kind, False
            old.problem = new.problem
            if new.named or not old.named:
                old.name, old.named = new.name, new.named
            prior = old.case_file
            if old.case_file is not None and not old.case_file.is_file() and old.counted != old.digests():
                old.case_file = None  # no review yet and new sources: the review goes under the new name
            if new_material and old.digests():
                self._reopen(old, prior)
            if before != (old.digests(), old.name, old.problem, old.missing, [f.path for f in old.files]):
                changed.append(cid)
        for cid in list(self._entries):
            if cid in found:
                continue
            e = self._entries[cid]
            begun = e.status != UNREVIEWED or (e.case_file is not None and e.case_file.is_file())
            if begun:  # the reviewer's work is kept; the list shows the files are gone
                if not e.missing:
                    e.missing = True
                    changed.append(cid)
            else:
                del self._entries[cid]
                removed.append(cid)
        for e in self._entries.values():
            if e.case_file is None and e.files:
                e.case_file = self._case_file_for(e)
        change = WorkspaceChange(tuple(added), tuple(removed), tuple(changed))
        if change:
            self._notify(CASES_DID_CHANGE, change)
        return change

    def _scan_roots(self, known: dict[Path, _File], progress: Progress | None,
                    cancel: Cancel | None) -> dict[str, _Entry]:
        folders: list[tuple[Path, list[Path], list[Path]]] = []  # (folder, pdfs, other files)
        loose: list[Path] = []
        for root in self.roots:
            if not root.is_dir():
                self.warnings.append(f"文件夹不存在：{root}")
                continue
            for child in _children(root):
                if self._excluded(child) or _is_batch_output(child):
                    continue
                if child.is_dir():
                    pdfs, others = self._walk(child)
                    if pdfs or others:
                        folders.append((child, pdfs, others))
                elif child.suffix.lower() in SUPPORTED_SUFFIXES:  # PDF, Word, Excel, WPS, OFD
                    loose.append(child)
        total = sum(len(p) for _, p, _ in folders) + len(loose)
        done = 0

        def look(path: Path, need_name: bool) -> _File:
            nonlocal done
            if cancel and cancel():
                raise Cancelled()
            f = _file_info(path, known.get(path), need_name)
            done += 1
            if progress:
                progress(f"正在识别 {path.name}", done, total)
            return f

        out: dict[str, _Entry] = {}
        for folder, pdfs, others in folders:
            cid = "dir:" + self._rel(folder)
            files: list[_File] = []
            name = ""
            for p in pdfs:  # every file is light-read once: its forms (materials), and the unit's name
                f = look(p, need_name=True)
                files.append(f)
                if not name and f.unit_name:
                    name = f.unit_name
            problem = ""
            if not pdfs:
                sample = "、".join(o.name for o in others[:3]) + ("等" if len(others) > 3 else "")
                problem = f"文件夹中没有PDF文件（有{len(others)}个其他文件：{sample}），请让部门提供PDF"
            elif all(f.problem for f in files):
                problem = "；".join(f"{f.path.name}：{f.problem}" for f in files)
            out[cid] = _Entry(cid, KIND_FOLDER, name or folder.name, folder, files, problem=problem,
                              named=bool(name))
        groups: dict[str, list[_File]] = {}
        for p in loose:
            f = look(p, need_name=True)
            key = unit_key(f.unit_name) if not f.problem else ""
            if key:
                groups.setdefault("unit:" + key, []).append(f)
            else:
                cid = "file:" + self._rel(p)
                name = f"{UNKNOWN_UNIT}：{p.name}" if not f.problem else f"无法读取：{p.name}"
                out[cid] = _Entry(cid, KIND_FILE, name, None, [f], problem=f.problem)
        for cid, files in groups.items():
            names = Counter(f.unit_name for f in files)
            top = max(names.values())
            name = next(f.unit_name for f in files if names[f.unit_name] == top)  # most printed, then first
            files.sort(key=lambda f: str(f.path))
            out[cid] = _Entry(cid, KIND_GROUP, name, None, files, named=True)
        return out

    def _walk(self, folder: Path) -> tuple[list[Path], list[Path]]:
        pdfs: list[Path] = []
        others: list[Path] = []
        for dirpath, dirnames, filenames in os.walk(folder):
            here = Path(dirpath)
            dirnames[:] = sorted(d for d in dirnames if not _hidden(d) and not self._excluded(here / d))
            for name in sorted(filenames):
                if _hidden(name):
                    continue
                (pdfs if Path(name).suffix.lower() in SUPPORTED_SUFFIXES else others).append(here / name)
        return pdfs, others

    def _excluded(self, p: Path) -> bool:
        if _hidden(p.name):
            return True
        ap = Path(os.path.abspath(p))
        return any(ap == x or _inside(ap, x) for x in self._exclude)

    def _rel(self, p: Path) -> str:
        """A path as stored: relative to the workspace folder (POSIX) when inside it, else absolute."""
        try:
            return Path(os.path.abspath(p)).relative_to(self.folder).as_posix()
        except ValueError:
            return Path(os.path.abspath(p)).as_posix()

    def _abs(self, s: str) -> Path:
        p = Path(s)
        return p if p.is_absolute() else self.folder / p

    def _rel_store(self, p: Path | None) -> str:
        if p is None:
            return ""
        try:
            return Path(os.path.abspath(p)).relative_to(self.store_dir).as_posix()
        except ValueError:
            return Path(os.path.abspath(p)).as_posix()

    def _abs_store(self, s: str) -> Path | None:
        if not s:
            return None
        p = Path(s)
        return p if p.is_absolute() else self.store_dir / p

    # persistence
    def _to_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "tool_version": __version__,
            "folder": self.folder.as_posix(),
            "roots": [self._rel(r) if r != self.folder else "." for r in self.roots],
            "reviewer": self.reviewer,
            "created": self.created,
            "modified": self.modified,
            "cases": [self._entry_json(e) for e in sorted(self._entries.values(), key=lambda e: e.id)],
        }

    def _entry_json(self, e: _Entry) -> dict[str, Any]:
        return {
            "id": e.id,
            "kind": e.kind,
            "name": e.name,
            "folder": self._rel(e.folder) if e.folder is not None else "",
            "status": e.status,
            "open_errors": e.open_errors,
            "open_warnings": e.open_warnings,
            "reviewer": e.reviewer,
            "modified": e.modified,
            "case_file": self._rel_store(e.case_file),
            "cache_file": self._rel_store(e.cache_file),
            "counted_sources": list(e.counted),
            "named": e.named,
            "problem": e.problem,
            "failure": e.failure,
            "missing": e.missing,
            "reopened": e.reopened,
            "earlier_review": self._rel_store(e.earlier_review),
            "files": [self._file_json(f) for f in e.files],
        }

    def _file_json(self, f: _File) -> dict[str, Any]:
        d: dict[str, Any] = {"path": self._rel(f.path), "sha256": f.sha256, "size": f.size,
                             "mtime_ns": f.mtime_ns, "unit_name": f.unit_name, "problem": f.problem,
                             "read": f.read}
        if f.kinds is not None:  # absent in the files of earlier versions: read again at the next scan
            d["kinds"] = {k: list(v) for k, v in f.kinds.items()}
            d["kinds_source"] = f.kinds_source
            d["kinds_complete"] = f.kinds_complete
        return d

    def _load(self) -> None:
        p = self.path
        if not p.exists():
            return
        try:
            d = json.loads(p.read_text(encoding="utf-8"))
            if not isinstance(d, dict) or d.get("schema") != SCHEMA:
                raise ValueError("not a workspace file")
            self.reviewer = str(d.get("reviewer", ""))
            self.created = str(d.get("created", ""))
            self.modified = str(d.get("modified", ""))
            for r in d.get("roots", []):
                rp = self.folder if r == "." else Path(os.path.abspath(self._abs(str(r))))
                if rp not in self.roots:
                    self.roots.append(rp)
            for c in d.get("cases", []):
                e = self._entry_from_json(c)
                self._entries[e.id] = e
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
            aside = p.with_name(f"{p.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
            try:
                os.replace(p, aside)
            except OSError:
                aside = p
            log.warning("workspace file %s unreadable (%s), set aside as %s", p, err, aside)
            self.warnings.append(f"审核工作区文件已损坏，已另存为 {aside.name}，重新扫描了文件夹（各部门的审核记录不受影响）")
            self._entries.clear()
            self.reviewer = ""

    def _entry_from_json(self, c: dict[str, Any]) -> _Entry:
        status = str(c.get("status", UNREVIEWED))
        files = [_File(path=self._abs(str(f["path"])), sha256=str(f.get("sha256", "")),
                       size=int(f.get("size", -1)), mtime_ns=int(f.get("mtime_ns", -1)),
                       unit_name=str(f.get("unit_name", "")), problem=str(f.get("problem", "")),
                       read=bool(f.get("read", False)), kinds=_kinds_or_none(f.get("kinds")),
                       kinds_source=str(f.get("kinds_source", "")),
                       kinds_complete=bool(f.get("kinds_complete", False)))
                 for f in c.get("files", [])]
        return _Entry(
            id=str(c["id"]), kind=str(c.get("kind", KIND_FOLDER)), name=str(c.get("name", "")),
            folder=self._abs(str(c["folder"])) if c.get("folder") else None, files=files,
            status=status if status in STATUSES else UNREVIEWED,
            open_errors=_int_or_none(c.get("open_errors")),
            open_warnings=_int_or_none(c.get("open_warnings")),
            reviewer=str(c.get("reviewer", "")), modified=str(c.get("modified", "")),
            case_file=self._abs_store(str(c.get("case_file", ""))),
            cache_file=self._abs_store(str(c.get("cache_file", ""))),
            counted=[str(x) for x in c.get("counted_sources", [])], problem=str(c.get("problem", "")),
            failure=str(c.get("failure", "")), named=bool(c.get("named", False)),
            missing=bool(c.get("missing", False)), reopened=str(c.get("reopened", "")),
            earlier_review=self._abs_store(str(c.get("earlier_review", ""))),
        )


_NOTHING_READ = "没有可读取的文件"


# -- helpers ------------------------------------------------------------------------------------------------

def count_open(case: Case, is_closed: Callable[[str], bool] | None = None) -> tuple[int, int]:
    """(errors, warnings) among the case's findings not decided closed (已核实 / 不适用)."""
    errors = warnings = 0
    for f in case.findings:
        if is_closed is not None and is_closed(f.fingerprint):
            continue
        if f.severity == Severity.ERROR:
            errors += 1
        elif f.severity == Severity.WARNING:
            warnings += 1
    return errors, warnings


def review_completion(case: Case, review: Any) -> Completion:
    """``core.checks.coverage.review_complete`` on a case and its review (a ``ReviewSession``, its
    ``ReviewLogs``, or None for no decision at all)."""
    from core.checks.coverage import review_complete

    complete, reasons = review_complete(case, review)
    return Completion(bool(complete), tuple(reasons))


def document_kinds(case: Case) -> dict[str, dict[str, list[int]]]:
    """sha256 → the forms on the pages of that file, as a full extraction classified them."""
    return {d.sha256: {k: list(v) for k, v in d.kinds.items()} for d in case.documents if d.sha256}


def _take_kinds(e: _Entry, kinds: dict[str, dict[str, list[int]]]) -> None:
    """A full extraction's forms replace the light read's for the same version of each file."""
    for f in e.files:
        if f.sha256 and f.sha256 in kinds and not f.problem:
            f.kinds, f.kinds_source, f.kinds_complete = dict(kinds[f.sha256]), FULL, True


def case_unit_name(case: Case) -> str:
    """The unit a case is about, as printed in its forms (basic, then 自评表, then 决算), else ""."""
    for key in ("basic.unit_name", "selfeval.unit_name", "accounts.unit_name"):
        v = case.value(key)
        if isinstance(v, str) and plausible_unit_name(clean_unit_name(v)):
            return clean_unit_name(v)
    for d in case.documents:
        if plausible_unit_name(clean_unit_name(d.unit_name)):
            return clean_unit_name(d.unit_name)
    return ""


def _file_info(path: Path, old: _File | None, need_name: bool) -> _File:
    """Hash and (if ``need_name``) light-read a file, reusing what is remembered of the same version."""
    from core.documents.pdf import sha256_of

    try:
        st = path.stat()
    except OSError as e:
        return _File(path, problem=f"无法读取文件（{e.strerror or e}）")
    if old is not None and old.same_version(st) and ((old.read and old.kinds is not None) or not need_name):
        return replace(old, path=path)
    f = _File(path, size=st.st_size, mtime_ns=st.st_mtime_ns)
    try:
        f.sha256 = sha256_of(path)
    except OSError as e:
        f.problem = f"无法读取文件（{e.strerror or e}）"
        return f
    if need_name:
        r = read_unit_name(path)
        f.unit_name, f.problem, f.read = r.unit_name, r.problem, True
        f.kinds, f.kinds_source, f.kinds_complete = dict(r.kinds), LIGHT, r.complete
    return f


def _is_batch_output(p: Path) -> bool:
    """A ``main.py batch`` output folder put inside the workspace (its 汇总表 or its cache is there): not a
    department."""
    if not p.is_dir():
        return False
    try:
        return (p / ".cache" / WORKSPACE_FILE).is_file() or any(p.glob("汇总表_*.xlsx"))
    except OSError:
        return False


def _children(root: Path) -> list[Path]:
    try:
        return sorted(root.iterdir(), key=lambda p: p.name)
    except OSError:
        return []


def _hidden(name: str) -> bool:
    return name.startswith((".", "~$")) or name in ("__MACOSX", "Thumbs.db", "desktop.ini")


def _inside(p: Path, root: Path) -> bool:
    try:
        p.relative_to(root)
        return True
    except ValueError:
        return False


def _slug(s: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", s).strip("_") or "case"


def _kinds_or_none(v: Any) -> dict[str, list[int]] | None:
    if not isinstance(v, dict):
        return None
    return {str(k): [int(p) for p in ps if isinstance(p, int)] for k, ps in v.items() if isinstance(ps, list)}


def _int_or_none(v: Any) -> int | None:
    return int(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def _later_of(a: str, b: str) -> str:
    def key(s: str) -> datetime:
        try:
            t = datetime.fromisoformat(s)
        except ValueError:
            return datetime.min.replace(tzinfo=datetime.now().astimezone().tzinfo)
        return t if t.tzinfo else t.astimezone()

    if not a:
        return b
    if not b:
        return a
    return a if key(a) >= key(b) else b
