"""OFD (GB/T 33190) files read like PDFs: real exports of several producers (../shared/real/ofd, read in place)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from core.documents.reader import open_any
from core.errors import DocumentError

OFD = Path(__file__).resolve().parents[4] / "shared" / "real" / "ofd"
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def ofd_dir() -> Path:
    if not OFD.exists():
        pytest.skip("../shared/real/ofd is not beside the checkout")
    return OFD


def _inside(page, box) -> bool:
    return -1 <= box[0] < box[2] <= page.width + 1 and -1 <= box[1] < box[3] <= page.height + 1


@pytest.mark.real
@pytest.mark.parametrize("name,pages", [("n.ofd", 2), ("z.ofd", 4), ("1.ofd", 1), ("20240531141733.ofd", 1),
                                        ("999.ofd", 5), ("keyword.ofd", 1), ("zsbk.ofd", 2)])
def test_every_real_ofd_gives_its_pages_in_order_with_text_boxes_on_the_page(ofd_dir, name, pages):
    doc = open_any(ofd_dir / name, "d1")
    assert doc.format == "ofd" and len(doc.pages) == pages
    assert [p.number for p in doc.pages] == list(range(1, pages + 1))
    lines = [ln for p in doc.pages for ln in p.lines]
    assert sum(len(ln.text) for ln in lines) > 40
    for p in doc.pages:
        for ln in p.lines:
            assert len(ln.boxes) == len(ln.text)
            assert _inside(p, ln.bbox), (name, p.number, ln.text, ln.bbox, p.width, p.height)


@pytest.mark.real
def test_a_government_document_reads_as_printed_in_reading_order(ofd_dir):
    doc = open_any(ofd_dir / "n.ofd", "d1")
    texts = [ln.text for ln in doc.pages[0].lines]
    assert "路卫发〔2011〕76号" in texts
    assert texts.index("路卫发〔2011〕76号") < texts.index("关于同意张阿三同志辞职的批复")
    assert any("2011年3月10日" in ln.text for ln in doc.pages[1].lines)
    page = doc.pages[0]
    assert page.width == pytest.approx(595.3, abs=0.5) and page.height == pytest.approx(841.9, abs=0.5)


@pytest.mark.real
def test_an_invoice_has_its_ruled_table_and_amounts_with_boxes(ofd_dir):
    doc = open_any(ofd_dir / "1.ofd", "d1")
    page = doc.pages[0]
    assert page.tables and page.tables[0].ruled and page.tables[0].n_rows >= 4
    cells = [c.text for row in page.tables[0].rows for c in row]
    assert any("价税合计" in t for t in cells)
    line = next(ln for ln in page.lines if "¥526.00" in ln.text)
    i = line.text.index("526.00")
    x0, top, x1, bottom = line.span_bbox(i, i + 6)
    assert 300 < x0 < x1 < page.width and 250 < top < bottom < 300  # on the 价税合计 row, right half


@pytest.mark.real
def test_a_glyph_drawn_twice_for_bold_is_read_once(ofd_dir):
    doc = open_any(ofd_dir / "zsbk.ofd", "d1")
    assert doc.pages[1].lines[0].text == "建筑工程施工许可证附件"


@pytest.mark.real
def test_a_table_drawn_with_paths_keeps_its_rows_and_columns(ofd_dir):
    doc = open_any(ofd_dir / "z.ofd", "d1")
    [table] = doc.pages[0].tables
    assert (table.n_rows, table.n_cols) == (5, 4)
    assert [c.text for c in table.rows[0]] == ["名称", "类型", "说明", "可选/必选"]


@pytest.mark.parametrize("parts,reason", [
    ({"a.txt": "x"}, "压缩包"),
    ({"OFD.xml": "<ofd:OFD xmlns:ofd='http://www.ofdspec.org/2016'><ofd:DocBody/></ofd:OFD>"}, "DocRoot"),
    ({"OFD.xml": "<ofd:OFD xmlns:ofd='http://www.ofdspec.org/2016'><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml"
                 "</ofd:DocRoot></ofd:DocBody></ofd:OFD>"}, "已损坏"),
    ({"OFD.xml": "<ofd:OFD"}, "已损坏"),
])
def test_a_damaged_ofd_gets_a_chinese_reason(tmp_path, parts, reason):
    path = tmp_path / "公文.ofd"
    with zipfile.ZipFile(path, "w") as z:
        for k, v in parts.items():
            z.writestr(k, v)
    with pytest.raises(DocumentError) as e:
        open_any(path, "d1")
    assert reason in e.value.reason and CJK.search(e.value.reason)


def test_a_truncated_real_ofd_gets_a_reason(tmp_path, ofd_dir):
    data = (ofd_dir / "zsbk.ofd").read_bytes()
    path = tmp_path / "截断.ofd"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(DocumentError) as e:
        open_any(path, "d1")
    assert "OFD" in e.value.reason


# -- fixture packages written as OFD (tools/make_office_fixtures.py, from the committed PDFs) --------------------

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.mark.parametrize("package", ["split_files_2024", "variant_clean_2024"])
def test_an_ofd_package_gives_the_figures_pages_boxes_and_findings_of_its_pdf(package):
    from collections import Counter

    from core.pipeline import extract_case

    pdf = extract_case([DATA / "packages" / package])
    ofd = extract_case(sorted((DATA / "office" / package).glob("*.ofd")))
    assert all(d.path.endswith(".ofd") for d in ofd.documents) and len(ofd.documents) == len(pdf.documents)

    def figures(case):
        return Counter((f.key, str(f.value), f.page) for f in case.fields)

    assert figures(ofd) == figures(pdf)
    boxes: dict[tuple, list] = {}
    for f in pdf.fields:
        boxes.setdefault((f.key, str(f.value), f.page), []).append(f.bbox)
    for f in ofd.fields:  # the box a reviewer is shown: where the PDF prints the same figure
        near = [b for b in boxes[(f.key, str(f.value), f.page)]
                if all(abs(x - y) <= 3.0 for x, y in zip(f.bbox, b))]  # the last glyph of a run: width estimated
        assert near, (f.key, f.bbox, boxes[(f.key, str(f.value), f.page)])
    assert len(ofd.indicators) == len(pdf.indicators)

    def findings(case):
        return Counter((x.check, x.severity.value, tuple(sorted(str(v) for v in x.values))) for x in case.findings)

    assert findings(ofd) == findings(pdf)
