"""Every figure of the narrative frame corpus gets the frame the corpus gives it, and none of the readings
it must never get (``tests/data/narrative_corpus/README.md``).

One test per corpus entry, so a run lists exactly which entries fail; each failure lists every mismatching
slot of the entry, not only the first.  ``python -m tests.core.narrative_corpus`` prints the same as a
report grouped by kind and by pattern.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

import pytest  # noqa: E402

from tests.core.narrative_corpus import check_entry, extract, load, number, typeset  # noqa: E402

ENTRIES = load()


def test_corpus_has_five_rewritings_of_every_kind_and_negatives():
    kinds = Counter(e["kind"] for e in ENTRIES)
    assert len(kinds) >= 15 and min(kinds.values()) >= 5, kinds
    assert sum(len(e["not"]) for e in ENTRIES) >= 100
    ids = [e["id"] for e in ENTRIES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["id"] for e in ENTRIES])
def test_corpus_entry_is_well_formed(entry):
    """Each figure's raw text is where the entry says, and is a number (so a failure below is the reader's)."""
    for fig in entry["figures"] + entry["not"]:
        at = fig["at"]
        assert entry["text"][at:at + len(fig["raw"])] == fig["raw"], fig
        assert number(fig["raw"]) is not None, fig
        before, after = entry["text"][at - 1:at], entry["text"][at + len(fig["raw"]):at + len(fig["raw"]) + 2]
        assert not re.match(r"[\d.]", before) and not re.match(r"\d|\.\d", after), ("inside a longer number", fig)
    _, where = typeset(entry["text"])
    assert all(fig["at"] in where for fig in entry["figures"])


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["id"] for e in ENTRIES])
def test_frames(entry):
    mismatches = check_entry(entry)
    assert not mismatches, f"{entry['id']}: {entry['text']!r}\n" + "\n".join(f"  [{p}] {m}" for p, m in mismatches)


def test_typesetting_breaks_where_the_corpus_says():
    """"\\n" is a full printed line ending exactly there; join_lines makes the text whole again."""
    from core.documents.paragraphs import join_lines

    lines, _ = typeset("10.卫生健康支出（类）行政事业单位医疗（款）行政单位\n医疗（项）。年初预算为 12.06 万元，支出决算为 11.85 万元。")
    assert lines[0].text.endswith("行政单位") and lines[1].text.startswith("医疗（项）")
    assert "行政单位医疗（项）" in join_lines(lines).text
    fields, _ = extract({"text": "年初预算为 12.06 万元。", "form": "决算说明"})
    assert any(f.value == number("12.06") for f in fields)
