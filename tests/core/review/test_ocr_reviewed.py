"""A scan's figure is never more certain than its reading: a finding that rests on an OCR value is a warning
until the reviewer has compared the value with the scan (accepted it as read, or corrected it); then the same
disagreement is an error.  Uses a real extracted package, with its 三公 figures marked as read by OCR."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from core.model import REVIEWED_ATTR, Severity, uncertainty  # noqa: E402
from core.pipeline import extract_case, recheck  # noqa: E402
from core.review.session import ReviewSession  # noqa: E402

PACKAGE = Path(__file__).resolve().parents[2] / "data" / "packages" / "variant_injected_2024"


def _errors_on(session: ReviewSession, fid: str) -> list:
    f = session.field(fid)
    return [x for x in session.case.findings if x.severity is Severity.ERROR
            and any(loc.page == f.page and tuple(loc.bbox) == tuple(f.bbox) for loc in x.locations)]


def test_an_error_on_an_ocr_value_waits_for_the_reviewer():
    plain = extract_case([PACKAGE])
    recheck(plain)
    erring = {(loc.doc, loc.page, tuple(loc.bbox)) for x in plain.findings if x.severity is Severity.ERROR
              for loc in x.locations}
    target = next(f for f in plain.fields if f.form == "基础数据表"
                  and (f.doc, f.page, tuple(f.bbox)) in erring)

    case = extract_case([PACKAGE])
    for f in case.fields:
        if f.form == "基础数据表":
            f.attrs["ocr"] = True  # as if the sheet had been a scan read with full confidence
    recheck(case)
    session = ReviewSession(case, recheck, reviewer="张审核")
    fld = next(f for f in case.fields
               if (f.doc, f.page, tuple(f.bbox)) == (target.doc, target.page, tuple(target.bbox)))
    assert uncertainty(fld) == "文字识别（OCR）读出，尚未与原件核对"
    assert _errors_on(session, fld.id) == []  # a warning for now, naming what to check
    assert any("尚未与原件核对" in x.message for x in session.case.findings)

    session.accept_value(fld.id)
    assert fld.attrs[REVIEWED_ATTR] is True and uncertainty(fld) == ""
    others = [f for f in case.fields if f.attrs.get("ocr") and f is not fld]
    for f in others:  # the other figures of the finding compared too
        session.accept_value(f.id)
    assert _errors_on(session, fld.id), "once compared with the scan, the disagreement is an error again"


def test_a_correction_vouches_for_the_value_and_an_undo_takes_it_back():
    case = extract_case([PACKAGE])
    fld = next(f for f in case.fields if f.form == "基础数据表" and f.unit == "万元")
    fld.attrs["ocr"] = True
    session = ReviewSession(case, recheck, reviewer="张审核")
    session.correct(fld.id, str(fld.value + 1), reason="按原件更正")
    assert fld.attrs.get(REVIEWED_ATTR) is True
    session.undo()
    assert not fld.attrs.get(REVIEWED_ATTR) and uncertainty(fld)


def test_a_reopened_review_keeps_the_reviewers_word_on_each_ocr_value(tmp_path):
    # the rule is derived from the log on reopening, as on each change: corrected or accepted → certain;
    # corrected and undone, or never looked at → still waiting for the reviewer
    case = extract_case([PACKAGE])
    money = [f for f in case.fields if f.form == "基础数据表" and f.unit == "万元"][:4]
    for f in money:
        f.attrs["ocr"] = True
    corrected, accepted, undone, untouched = (f.id for f in money)
    session = ReviewSession(case, recheck, reviewer="张审核")
    session.correct(undone, str(session.field(undone).value + 2), reason="误改")
    session.undo()
    session.correct(corrected, str(session.field(corrected).value + 1), reason="按原件更正")
    session.accept_value(accepted)
    path = session.save(tmp_path / "case.json")
    # the fields section is a view; the log is the record: without the saved marks the same holds
    text = path.read_text(encoding="utf-8")
    assert text.count('"reviewed": true') == 2
    path.write_text(text.replace(', "reviewed": true', ""), encoding="utf-8")

    again = ReviewSession.from_file(path, recheck)
    vouched = {fid for fid in (corrected, accepted, undone, untouched)
               if again.field(fid).attrs.get(REVIEWED_ATTR)}
    assert vouched == {corrected, accepted}
    assert uncertainty(again.field(undone)) and uncertainty(again.field(untouched))
