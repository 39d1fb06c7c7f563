"""The narrative frame corpus (``tests/data/narrative_corpus/frames.jsonl``): load it, print an entry's text
on synthetic pages, run the narrative extraction and compare each figure's ``attrs["frame"]`` slot by slot.

Why it exists: the corpus test and the property test both need "this text, printed, read back, and every
figure's frame compared with what the corpus says", and the lead needs the same comparison as a report
(``python -m tests.core.narrative_corpus`` prints the pass rate and the failing entries grouped by kind and
by the kind of mismatch).

Printing: ``"\\n\\n"`` starts a paragraph; ``"\\f"`` is a page break inside a paragraph (the line before it is
full, the text goes on at the top of the next page; every page has its number "- n -" at the foot);
``"\\n"`` is a printed line break inside a paragraph, where the line was full: every line but a paragraph's last is justified to the entry's text width, which is the
width of the longest piece before a ``"\\n"`` (so a break falls exactly there, as in a PDF that wrapped
"行政单位⏎医疗（项）"), else 36 characters of 12 pt.  A figure is found by place: the field whose box
holds the centre of the figure's first printed character.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter, defaultdict
from decimal import Decimal, InvalidOperation
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from core.documents.layout import Line  # noqa: E402
from core.documents.paragraphs import is_heading_start, join_lines  # noqa: E402
from core.extraction.narrative import extract_narrative  # noqa: E402
from core.model import Field  # noqa: E402
from tests.core.pagesim import _width, _wrap  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "narrative_corpus" / "frames.jsonl"
SLOT_NAMES = ("scope", "period", "measure", "subject", "complete")
SIZE = 12.0
LEADING = 20.0
LEFT = 72.0
TOP = 72.0
PAGE_H = 842.0


def load(path: Path = CORPUS) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# -- printing ----------------------------------------------------------------------------------------------

def typeset(text: str, chars: int | None = None) -> tuple[list[Line], dict[int, tuple[int, tuple[float, float, float, float]]]]:
    """Lines of ``text`` and, for every printed character offset of ``text``, its (page, box).  ``chars``
    sets the text width in characters (else it comes from the forced breaks, or 36)."""
    page_breaks = {i for i, ch in enumerate(text) if ch == "\f"}
    text = text.replace("\f", "\n")  # same length: offsets keep
    paras = text.split("\n\n")
    pre = []
    for para in paras:
        pieces = para.split("\n")
        for k, piece in enumerate(pieces[:-1]):
            indent = 2 * SIZE if k == 0 and not _is_heading(para) else 0.0
            pre.append(sum(_width(c, SIZE) for c in piece) + indent)
    width = min(max(max(pre), 12 * SIZE), 44 * SIZE) if pre else 36 * SIZE
    if chars is not None:
        width = chars * SIZE
    lines: list[Line] = []
    where: dict[int, tuple[int, tuple[float, float, float, float]]] = {}
    page, y = 1, TOP
    offset = 0
    for pi, para in enumerate(paras):
        heading = _is_heading(para)
        indent = 0.0 if heading else 2 * SIZE
        rows: list[tuple[str, int, float, bool]] = []  # (text, offset of its first char, x, page break after)
        pieces = para.split("\n")
        off = offset
        first = True
        for piece in pieces:
            subs = _wrap(piece, width, indent if first else 0.0, SIZE) if piece else []
            p_off = off
            for k, s in enumerate(subs):
                at = piece.index(s, p_off - off) + off if s else p_off
                brk = k == len(subs) - 1 and (off + len(piece)) in page_breaks
                rows.append((s, at, LEFT + (indent if first else 0.0), brk))
                p_off = at + len(s)
                first = False
            off += len(piece) + 1  # the "\n"
        for ri, (s, at, x, brk) in enumerate(rows):
            if y + SIZE > PAGE_H - 72.0:
                lines.append(_folio(page))
                page, y = page + 1, TOP
            last = ri == len(rows) - 1
            widths = [_width(c, SIZE) for c in s]
            avail = width - (x - LEFT)
            extra = 0.0 if last or len(s) < 2 else max(0.0, (avail - sum(widths)) / (len(s) - 1))
            boxes = []
            cx = x
            for j, w in enumerate(widths):
                box = (cx, y, cx + w, y + SIZE)
                boxes.append(box)
                where[at + j] = (page, box)
                cx += w + extra
            if s.strip():
                lines.append(Line(s, boxes, page))
            y += LEADING
            if brk:
                lines.append(_folio(page))
                page, y = page + 1, TOP
        offset += len(para) + 2  # the "\n\n"
    lines.append(_folio(page))
    return lines, where


def _folio(page: int) -> Line:
    """The page number at the foot of ``page`` ("- 1 -"), as word processors print it."""
    label = f"- {page} -"
    x = LEFT + 18 * SIZE - len(label) * SIZE / 4
    return Line(label, [(x + i * SIZE / 2, PAGE_H - 50, x + (i + 1) * SIZE / 2, PAGE_H - 50 + SIZE)
                        for i in range(len(label))], page)


def _is_heading(para: str) -> bool:
    flat = para.replace("\n", "")
    return is_heading_start(flat) and len(flat) < 60


def extract(entry: dict) -> tuple[list[Field], dict]:
    lines, where = typeset(entry["text"])
    fields = extract_narrative("c1", join_lines(lines), entry.get("form", "决算说明"))
    return fields, where


# -- comparing ---------------------------------------------------------------------------------------------

def number(raw: str) -> Decimal | None:
    try:
        return Decimal(re.sub(r"[\s,，]", "", raw))
    except InvalidOperation:
        return None


def _holds(f: Field, page: int, box) -> bool:
    if f.page != page or f.bbox is None:
        return False
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    x0, top, x1, bottom = f.bbox
    return x0 - 0.5 <= cx <= x1 + 0.5 and top - 0.5 <= cy <= bottom + 0.5


def at_place(fields: list[Field], where: dict, at: int) -> list[Field]:
    if at not in where:
        return []
    page, box = where[at]
    return [f for f in fields if isinstance(f.value, Decimal) and _holds(f, page, box)]


_BRACKETED = re.compile(r"[(（][^()（）]*[)）]")


def norm_subject(s: str) -> str:
    """A subject as compared: no spaces or quotes, no bracketed （类）/（款）/（项）/code, no trailing 支出."""
    t = re.sub(r"[\s“”\"‘’'「」『』、]", "", s or "")
    t = t.replace("(", "（").replace(")", "）")
    t = re.sub(r"（(类|款|项|\d{3,7})）", "", t)
    t = re.sub(r"支出$", "", t)
    return t


def subject_matches(expected: str, actual: str, scope: str | None) -> bool:
    e, a = norm_subject(expected), norm_subject(actual)
    if e == a:
        return True
    if scope in ("line", "project") and e and e in a:
        return True
    # one name, several wordings: "“三公”经费" and "三公经费", "因公出国（境）费用" and "因公出国（境）费",
    # 收入总计 / 支出总计 / 收入支出总计 and 收支总计 (公开01 行30 = 行60)
    def canon(x: str) -> str:
        x = re.sub(r"费用$", "费", x.replace("（境）", "境").replace("运行维护费", "运行费"))
        return "收支总计" if x in ("收入总计", "支出总计", "收入支出总计", "收、支总计") else x
    return canon(e) == canon(a)


def _frame(f: Field) -> dict | None:
    fr = f.attrs.get("frame")
    return fr if isinstance(fr, dict) else None


def compare(entry: dict, fields: list[Field], where: dict) -> list[tuple[str, str]]:
    """Every mismatch of ``entry``: (pattern, message).  Pattern names the kind of failure for grouping:
    ``missing``, ``value``, ``no-frame``, ``<slot>:<expected>→<actual>``, ``never:<tag>``."""
    out: list[tuple[str, str]] = []
    for fig in entry["figures"]:
        raw, want = fig["raw"], number(fig["raw"])
        hits = at_place(fields, where, fig["at"])
        good = [f for f in hits if f.value == want]
        if not good:
            if hits:
                out.append(("value", f"{raw}: read as {hits[0].value} ({hits[0].key})"))
            else:
                out.append(("missing", f"{raw}: no figure read there"))
            continue
        f = good[0]
        fr = _frame(f)
        if fr is None:
            out.append(("no-frame", f"{raw}: {f.key} has no attrs['frame']"))
            continue
        for slot in SLOT_NAMES:
            if slot not in fig:
                continue
            exp, act = fig[slot], fr.get(slot)
            ok = subject_matches(exp, act or "", fig.get("scope")) if slot == "subject" else exp == act
            if not ok:
                out.append((f"{slot}:{exp if slot != 'subject' else '…'}→{act if slot != 'subject' else '…'}",
                            f"{raw} ({fig.get('slot', '')}): {slot} expected {exp!r}, got {act!r}"))
    for neg in entry.get("not", []):
        hits = [f for f in at_place(fields, where, neg["at"])]
        for f in hits:
            fr = _frame(f) or {}
            for tag in neg["not"]:
                bad = False
                if tag == "department-current-amount":
                    bad = (fr.get("scope"), fr.get("period"), fr.get("measure")) == ("department", "current", "amount")
                elif tag == "current":
                    bad = fr.get("period") == "current"
                elif tag == "negative":
                    bad = isinstance(f.value, Decimal) and f.value < 0
                elif tag.startswith("subject="):
                    bad = bool(fr.get("subject")) and subject_matches(tag[8:], fr.get("subject", ""), None)
                if bad:
                    out.append((f"never:{tag.split('=')[0]}", f"{neg['raw']}: read as {tag} ({f.key}, frame {fr})"))
    return out


def check_entry(entry: dict) -> list[tuple[str, str]]:
    fields, where = extract(entry)
    return compare(entry, fields, where)


def report(entries: list[dict] | None = None) -> str:
    entries = entries if entries is not None else load()
    failing: dict[str, list[tuple[str, str]]] = {}
    for e in entries:
        mm = check_entry(e)
        if mm:
            failing[e["id"]] = mm
    n = len(entries)
    lines = [f"{n - len(failing)}/{n} entries pass"]
    by_kind: dict[str, list[str]] = defaultdict(list)
    for e in entries:
        if e["id"] in failing:
            by_kind[e["kind"]].append(e["id"])
    lines.append("failing by kind:")
    for k, ids in sorted(by_kind.items()):
        lines.append(f"  {k}: {len(ids)}  {' '.join(ids[:6])}{' …' if len(ids) > 6 else ''}")
    pats: dict[str, set[str]] = defaultdict(set)
    count: Counter = Counter()
    for id_, mm in failing.items():
        for p, _ in mm:
            pats[p].add(id_)
            count[p] += 1
    lines.append("failing by pattern (figures, entries):")
    for p, c in count.most_common():
        ids = sorted(pats[p])
        lines.append(f"  {p}: {c} figures in {len(ids)} entries, e.g. {' '.join(ids[:4])}")
    return "\n".join(lines)


if __name__ == "__main__":
    print(report())
