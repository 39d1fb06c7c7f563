"""Fuzzing the input side (hypothesis): damaged PDFs through the whole pipeline, odd text through the number
parsers and the reviewer's entry parser, random values through the checks and the scoring.

The contract under test: a damaged file gives a ``Case`` (possibly with document problems) or ``NoInput``, each
problem in Chinese, never another exception; and no check ends as a "程序错误" (``core.checks.registry``
turns a crashing check into an info finding with that wording, so a crash would otherwise pass silently).

Mutations of the fixture PDFs (tests/data/packages): truncation; bytes flipped inside streams and anywhere;
xref/trailer damage (bytes overwritten, ``startxref`` moved); garbage inserted; a range deleted; and content
streams decompressed, their operators and operands mutated (numbers replaced by huge or negative ones,
operators swapped, delimiters left open, ``q`` nested thousands deep), recompressed and the xref rebuilt, so
the page reader itself meets the garbage rather than only the parser's error path.

Bounded in time: about 45 s in all on a two-core machine (``max_examples`` below), no example database written
(``database=None``); in memory by the reading's per-document guard (``core.documents.limits``) and, in CI, by
the test process's data limit (tests/conftest.py).  Reproducible: derandomised in CI (the "ci" profile).
"""

from __future__ import annotations

import base64
import copy
import dataclasses
import random
import re
import zlib
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import numbers
from core.checks.registry import run_checks
from core.documents.pdf import open_document
from core.errors import DocumentError
from core.model import Case, Field, SourceRef
from core.pipeline import NoInput, extract_case, recheck
from core.review.session import InvalidEntry, ReviewSession, parse_entry

ROOT = Path(__file__).resolve().parents[3]
PACKAGES = ROOT / "tests" / "data" / "packages"
CJK = re.compile(r"[\u4e00-\u9fff]")
# small fixture files (1–4 pages) of every form: 基础数据表, 自评表, 自评报告, a combined package
SOURCE_NAMES = [
    "split_files_2024/01-部门整体支出绩效评价基础数据表.pdf",
    "split_files_2024/02-部门整体支出绩效自评表.pdf",
    "split_files_2024/03-部门整体支出绩效自评报告.pdf",
    "variant_caizheng_2024/长沙县财政局2024年度部门整体支出绩效自评材料.pdf",
]
SOURCES = {n: (PACKAGES / n).read_bytes() for n in SOURCE_NAMES if (PACKAGES / n).exists()}

# derandomize and print_blob come from the profile of tests/conftest.py: the same examples every CI run, and a
# failure printed with the @reproduce_failure blob that replays it anywhere.
FUZZ = settings(deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

if not SOURCES:
    pytest.skip("fixture packages not generated", allow_module_level=True)


# -- mutating PDF bytes --------------------------------------------------------------------------------------

_OBJ_STREAM = re.compile(rb"(\d+) 0 obj\s*<<((?:(?!endobj).)*?)>>\s*stream\r?\n", re.S)


def _streams(data: bytes) -> list[tuple[re.Match, int, int]]:
    """Each stream object: its match (number, dictionary) and the span of its data, by its direct /Length."""
    out = []
    for m in _OBJ_STREAM.finditer(data):
        length = re.search(rb"/Length (\d+)(?! \d+ R)", m.group(2))
        if length and int(length.group(1)) > 0 and m.end() + int(length.group(1)) <= len(data):
            out.append((m, m.end(), m.end() + int(length.group(1))))
    return out


def _spans(data: bytes) -> list[tuple[int, int]]:
    return [(a, b) for _, a, b in _streams(data)]


def _decoded(m: re.Match, raw: bytes) -> bytes | None:
    """A page content or CMap stream decoded (reportlab writes them Flate or ASCII85 + Flate); None for
    fonts, images and anything that does not decode."""
    d = m.group(2)
    if b"/FlateDecode" not in d or b"/Length1" in d or b"/Image" in d:
        return None
    try:
        if b"/ASCII85Decode" in d:
            raw = base64.a85decode(raw.strip().removesuffix(b"~>"))
        return zlib.decompress(raw)
    except (ValueError, zlib.error):
        return None


def _replaced(data: bytes, m: re.Match, b: int, plain: bytes) -> bytes:
    """The file with that stream's data replaced by ``plain`` (Flate only), its /Length and the xref fixed."""
    body = zlib.compress(plain)
    head = re.sub(rb"/Length \d+", b"/Length %d" % len(body), m.group(0))
    head = re.sub(rb"/Filter \[ /ASCII85Decode /FlateDecode \]", b"/Filter [ /FlateDecode ]", head)
    return _rebuild_xref(data[: m.start(0)] + head + body + data[b:])


# Positions are drawn past the 16-byte header most of the time: hypothesis favours small integers, and a file
# whose "%PDF-" is gone only ever reaches ``sniff``.
def _pos(draw, data: bytes) -> int:
    low = 0 if draw(st.integers(0, 9)) == 0 else min(16, len(data) - 1)
    return draw(st.integers(low, len(data) - 1))


def truncate(draw, data: bytes) -> bytes:
    return data[: draw(st.integers(0, len(data) - 1)) if draw(st.booleans()) else
                draw(st.integers(len(data) // 2, len(data) - 1))]


def flip_in_streams(draw, data: bytes) -> bytes:
    spans = _spans(data)
    if not spans:
        return data
    out = bytearray(data)
    a, b = draw(st.sampled_from(spans))
    for _ in range(draw(st.integers(1, 8))):
        out[draw(st.integers(a, b - 1))] ^= draw(st.integers(1, 255))
    return bytes(out)


def flip_anywhere(draw, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 16))):
        out[_pos(draw, data)] ^= draw(st.integers(1, 255))
    return bytes(out)


def damage_xref(draw, data: bytes) -> bytes:
    start = data.rfind(b"xref")
    if start < 0 or draw(st.booleans()):
        return re.sub(rb"startxref\s+\d+", b"startxref\n%d" % draw(st.integers(0, 2 * len(data))), data)
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 12))):
        out[draw(st.integers(start, len(out) - 1))] = draw(st.sampled_from(list(b"0123456789 nf\n<>/R")))
    return bytes(out)


def insert_garbage(draw, data: bytes) -> bytes:
    pos = _pos(draw, data)
    junk = draw(st.one_of(st.binary(min_size=1, max_size=64),
                          st.sampled_from([b"endobj", b"endstream", b"%%EOF", b"trailer<<>>", b"xref\n0 1\n",
                                           b"1 0 obj<</Type/Pages/Kids[1 0 R]/Count 1>>endobj", b"<<<<<<<<"])))
    return data[:pos] + junk + data[pos:]


def delete_range(draw, data: bytes) -> bytes:
    pos = _pos(draw, data)
    return data[:pos] + data[pos + draw(st.integers(1, 2000)):]


_TOKENS = [b"0", b"-1", b"99999999", b"100000000000000000000", b"-0.00001", b"3.4e38", b"1e-45", b"NaN",
           b"q", b"Q", b"BT", b"ET", b"cm", b"Tf", b"Tj", b"TJ", b"Tm", b"Td", b"T*", b"re", b"m", b"l", b"c",
           b"h",
           b"S", b"f", b"W", b"n", b"Do", b"BI", b"ID", b"EI", b"gs", b"'", b'"', b"Tz", b"TL", b"Ts",
           b"(", b")", b"<", b">", b"[", b"]", b"<<", b">>", b"/", b"%", b"/F9", b"/F3+0", b"/Im1", b"<0041>",
           b"(\\)", b"(\xe4\xb8\xad)"]


def mutate_content(draw, data: bytes) -> bytes:
    """Decompress a content stream, mutate its tokens, recompress it and rebuild the xref table."""
    streams = [(m, b, plain) for m, a, b in _streams(data) if (plain := _decoded(m, data[a:b])) is not None]
    if not streams:
        return data
    m, b, plain = draw(st.sampled_from(streams))
    tokens = re.split(rb"(\s+)", plain)
    for _ in range(draw(st.integers(1, 12))):
        i = draw(st.integers(0, len(tokens) - 1))
        action = draw(st.sampled_from(["replace", "delete", "insert", "repeat"]))
        if action == "replace":
            tokens[i] = draw(st.sampled_from(_TOKENS))
        elif action == "delete":
            tokens[i] = b""
        elif action == "insert":
            tokens.insert(i, draw(st.sampled_from(_TOKENS)) + b" ")
        else:
            tokens.insert(i, (draw(st.sampled_from([b"q", b"1 0 0 1 0 0 cm", b"0 0 m 1 1 l S", b"BT"])) + b" ")
                          * draw(st.integers(100, 5000)))
    return _replaced(data, m, b, b"".join(tokens))


def _rebuild_xref(data: bytes) -> bytes:
    offsets = {int(m.group(1)): m.start(1) for m in re.finditer(rb"(?m)^(\d+) 0 obj", data)}
    start, trailer = data.rfind(b"\nxref"), re.search(rb"trailer\s*<<.*?>>\s*startxref", data, re.S)
    if start < 0 or trailer is None or not offsets:
        return data
    size = max(offsets) + 1
    rows = [b"0000000000 65535 f \n"] + [b"%010d 00000 n \n" % offsets[i] if i in offsets else
                                         b"0000000000 65535 f \n" for i in range(1, size)]
    table = b"\nxref\n0 %d\n" % size + b"".join(rows)
    head = trailer.group(0)[: -len(b"startxref")]
    return data[:start] + table + head + b"startxref\n%d\n%%%%EOF\n" % (start + 1)


MUTATORS = {"truncate": truncate, "flip_in_streams": flip_in_streams, "flip_anywhere": flip_anywhere,
            "damage_xref": damage_xref, "insert_garbage": insert_garbage, "delete_range": delete_range,
            "mutate_content": mutate_content}


@st.composite
def damaged_pdfs(draw, kinds: tuple[str, ...] = tuple(MUTATORS)) -> tuple[str, bytes]:
    name = draw(st.sampled_from(sorted(SOURCES)))
    data = SOURCES[name]
    for kind in draw(st.lists(st.sampled_from(kinds), min_size=1, max_size=3)):
        if len(data) < 2:
            break
        data = MUTATORS[kind](draw, data)
    return name, data


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def _assert_case_or_no_input(path: Path) -> None:
    try:
        case = extract_case([path])
    except NoInput as e:
        assert e.problems, "NoInput without a reason"
        for p in e.problems:
            assert p["path"] == str(path) and CJK.search(p["message"]), p
            assert p["code"] != "internal_error", p  # a bug met on the file, named instead of crashing
        return
    assert [d.path for d in case.documents] == [str(path)]
    for p in case.documents[0].problems:
        assert CJK.search(p["message"]) and p["code"] != "internal_error", p
    crashed = [f.message for f in case.findings if "程序错误" in f.message]
    assert crashed == []
    assert case.to_json()["schema"] == "review-case/1"  # the case is whole: it serialises


def test_the_mutators_really_damage_and_the_rebuild_really_rebuilds():
    """Guard against a fuzz that never reaches the code: a rebuilt file with an untouched content stream reads
    exactly as the original, and the content mutator finds streams to mutate in every source."""
    for name, data in SOURCES.items():
        assert _rebuild_xref(data) == data, name  # reportlab's own table, rebuilt byte for byte
        decoded = [(m, b, plain) for m, a, b in _streams(data) if (plain := _decoded(m, data[a:b])) is not None]
        assert any(b"BT" in plain for _, _, plain in decoded), name  # page content is among them
        again = data
        for m, b, plain in reversed(decoded):  # every one round-tripped: the pages read exactly the same
            again = _replaced(again, m, b, plain)
        assert again != data
        assert _page_texts(again) == _page_texts(data), name


def _page_texts(data: bytes) -> list[str]:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "x.pdf"
        path.write_bytes(data)
        return [p.text for p in open_document(path, "d1").pages]


def _without_ocr():
    """OCR as on a machine without the OCR components (``OcrUnavailable``: the page stays a scan).  A damaged
    page often reads as garbage and goes to OCR, which takes seconds a page: the many examples below fuzz the
    reading, the few of ``test_damaged_pdfs_through_ocr`` fuzz the OCR path, so the whole stays bounded in
    time."""
    from unittest import mock

    from core.documents import ocr

    def unavailable(*_args, **_kwargs):
        raise ocr.OcrUnavailable("文字识别（OCR）组件未安装")

    return mock.patch.object(ocr, "recognise", unavailable)


@settings(FUZZ, max_examples=200)
@given(damaged_pdfs())
def test_damaged_pdfs_give_a_case_or_no_input(scratch, sample):
    name, data = sample
    path = scratch / f"损坏 {Path(name).name}"
    path.write_bytes(data)
    with _without_ocr():
        _assert_case_or_no_input(path)


@settings(FUZZ, max_examples=12)
@given(damaged_pdfs())
def test_damaged_pdfs_through_ocr(scratch, sample):
    name, data = sample
    path = scratch / f"识别 {Path(name).name}"
    path.write_bytes(data)
    _assert_case_or_no_input(path)


@settings(FUZZ, max_examples=150)
@given(damaged_pdfs(kinds=("mutate_content",)))
def test_mutated_content_streams_give_a_case_or_no_input(scratch, sample):
    name, data = sample
    path = scratch / f"内容 {Path(name).name}"
    path.write_bytes(data)
    with _without_ocr():
        _assert_case_or_no_input(path)


@settings(FUZZ, max_examples=60)
@given(damaged_pdfs())
def test_the_pdfminer_path_gives_a_document_or_a_document_error(scratch, sample):
    name, data = sample
    path = scratch / f"pdfminer {Path(name).name}"
    path.write_bytes(data)
    try:
        doc = open_document(path, "d1", engine="pdfplumber")
    except DocumentError as e:
        assert CJK.search(e.reason)
        return
    for p in doc.problems:
        assert CJK.search(p["message"])


# -- the number parsers and the reviewer's entries ------------------------------------------------------------

_NUMBERISH = st.text(alphabet=st.sampled_from(list("0123456789,.，．%％-－—+()（）万元亿千人次个≥≤><约余多 "
                                                   "一二三四五六七八九十百零两")), max_size=40)
_ANY = st.one_of(st.text(max_size=60), _NUMBERISH, st.from_regex(r"[-+(]?\d{1,60}(\.\d{1,30})?[)]?(万元|元|%)?",
                                                                 fullmatch=True))


@settings(max_examples=400, deadline=None, database=None)
@given(_ANY)
def test_number_parsers_never_raise_on_any_text(s):
    for parse in (numbers.parse_amount, numbers.parse_percent, numbers.parse_count, numbers.parse_count_ex,
                  numbers.parse_chinese_int, numbers.unit_from_header, numbers.is_placeholder,
                  numbers.is_measured_value):
        parse(s)
    target = numbers.parse_target(s)
    numbers.target_met(target, numbers.parse_target(s[::-1]))
    for start, end, n in numbers.find_amounts(s):
        assert 0 <= start < end <= len(s) and n.value.is_finite()


_UNITS = ["元", "万元", "千元", "亿元", "%", "人", "分", "个", ""]


@settings(max_examples=300, deadline=None, database=None)
@given(st.sampled_from(_UNITS), st.sampled_from([Decimal("12.34"), "文字", None]), _ANY)
def test_a_reviewer_entry_is_a_value_or_a_chinese_refusal(unit, value, text):
    fld = Field("basic.x", value, unit, str(value), SourceRef("d1", 1, (0.0, 0.0, 1.0, 1.0)))
    try:
        new, raw = parse_entry(fld, text)
    except InvalidEntry as e:
        assert CJK.search(e.reason)
        return
    assert raw == text.strip()
    if isinstance(new, Decimal):
        assert new.is_finite() and len(new.as_tuple().digits) <= 15


# -- the checks on random values ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def templates() -> list[dict]:
    """Extracted cases of fixture packages (every form, the 决算 with its account lines) as JSON."""
    out = []
    for name in ("yunxi_2024", "variant_caizheng_2024", "tianyuan_2024"):
        files = sorted((PACKAGES / name).glob("*.pdf"))
        if files:
            out.append(extract_case(files).to_json())
    if not out:
        pytest.skip("fixture packages not generated")
    return out


# amounts as printed: up to 15 significant digits (what a correction may hold), signs, zero, blanks
_AMOUNT = st.one_of(
    st.none(),
    st.decimals(min_value=Decimal("-999999999999.99"), max_value=Decimal("999999999999.99"), places=2,
                allow_nan=False, allow_infinity=False),
    st.decimals(min_value=Decimal("-1000"), max_value=Decimal("1000"), places=4, allow_nan=False,
                allow_infinity=False),
    st.sampled_from([Decimal(0), Decimal("0.00"), Decimal("-0.01"), Decimal("100"), Decimal("1E+3")]),
)
_TEXT = st.one_of(st.sampled_from(["", "—", "无", "≥95%", "100%", "≤5天", "优", "良", "二十人", "(cid:3)",
                                   "1363.38万元", "按时完成", "9" * 40]), st.text(max_size=12))


@settings(FUZZ, max_examples=300)
@given(template=st.integers(0, 2), rate=st.sampled_from([0.05, 0.3, 1.0]), seed=st.integers(0, 2**32),
       amounts=st.lists(_AMOUNT, min_size=1, max_size=12), texts=st.lists(_TEXT, min_size=1, max_size=4),
       drop=st.booleans())
def test_checks_and_scoring_never_crash_on_random_values(templates, template, rate, seed, amounts, texts, drop):
    """Values drawn by hypothesis, spread over the fields, indicators and account lines of a real extracted
    case by a seeded generator (drawing per field would make each example thousands of draws)."""
    rng = random.Random(seed)
    case = Case.from_json(copy.deepcopy(templates[template % len(templates)]))
    for f in case.fields:
        if rng.random() < rate:
            f.value = rng.choice(texts) if rng.random() < 0.1 else rng.choice(amounts)
        if rng.random() < 0.03:
            f.unit = rng.choice(_UNITS)
    for ind in case.indicators:
        if rng.random() < rate:
            ind.weight, ind.score = rng.choice(amounts), rng.choice(amounts)
            ind.target, ind.actual = rng.choice(texts), rng.choice(texts)
    for line in case.account_lines:
        for col in list(line.columns):
            if rng.random() < rate:
                line.columns[col] = rng.choice(amounts)
    if drop:  # whole statements missing, others stated twice with different numbers
        twice = [dataclasses.replace(f, id="") for f in case.fields[:20]]
        case.fields = [f for f in case.fields if rng.random() < 0.7] + twice
        for f in case.fields[-20:]:
            f.value = rng.choice(amounts)
        case.assign_ids()
    findings = run_checks(case)
    assert [f.message for f in findings if "程序错误" in f.message] == []
    from core.scoring import score_case

    score_case(case)  # raises on a bug (recheck would swallow it into empty scores)


@settings(FUZZ, max_examples=150)
@given(data=st.data())
def test_random_corrections_keep_the_checks_whole(templates, data):
    """The reviewer's path: any text typed into any field is refused in Chinese or applied and re-checked."""
    case = Case.from_json(copy.deepcopy(templates[0]))
    session = ReviewSession(case, recheck)
    for _ in range(data.draw(st.integers(1, 4))):
        fld = data.draw(st.sampled_from(case.fields))
        text = data.draw(st.one_of(_ANY, st.builds(str, _AMOUNT)))
        try:
            session.correct(fld.id, text, reason="模糊测试")
        except InvalidEntry as e:
            assert CJK.search(e.reason)
    assert [f.message for f in session.case.findings if "程序错误" in f.message] == []
