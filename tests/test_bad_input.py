"""Bad input, each kind with its named answer (issue 6): a Chinese reason naming the file, the other files of
the case still read, the exit codes of contract.md, never a traceback.

Already answered elsewhere, not repeated here: Word/Excel/JPEG/text files (renamed or not), empty, truncated
and corrupt files (tests/test_cli.py); encrypted with and without ``--password`` and scans
(tests/core/documents/test_bad_pdfs.py); budgets and blank templates at the core
(tests/core/documents/test_real_pdfs.py, tests/core/extraction/test_packages.py).  Here: a text layer that
extracts as garbage, unrelated PDFs, the same file twice, a read-only input folder, names with spaces and
Chinese through export and batch, the kinds of non-PDF ``sniff`` names besides those (web page, OFD, archive,
a device, a name too long for the file system, a PDF without pages), a folder that cannot be listed, a wrong
password and an encrypted file beside good ones, a budget on the command line, and a bug on one file (the
others still read).  And two gaps of "a reviewer's work is never lost" (the rest is tests/core/review/): a disk
that fills up in the middle of an output leaves no partial file and says so, and the 修改记录 of an export
lists exactly the corrections of the case file it was exported from.

The PDFs are built here with reportlab and the WenQuanYi font CI installs (.ci/run); a garbled one is a normal
PDF whose ``/ToUnicode`` maps are blanked out, which is exactly what a Chinese font without an encoding map
looks like to a reader (pdfium gives control codes, pdfminer "(cid:N)").
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from core.documents.pdf import open_document
from core.pipeline import NoInput, extract_case

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ROOT / "tests" / "data" / "packages"
YUNXI = PACKAGES / "yunxi_2024" / "云溪区委组织部2024年度部门整体支出绩效自评材料.pdf"
SPLIT = PACKAGES / "split_files_2024"
BUDGET = PACKAGES / "not_reviewable" / "budget_2025" / "湘潭县教育局2025年部门预算.pdf"
FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
CJK = re.compile(r"[\u4e00-\u9fff]")

PROSE = ("春天的早晨，河边的柳树刚刚发芽，几只小鸟在枝头唱歌。村里的老人坐在门前晒太阳，孩子们沿着小路跑向学校。"
         "远处的山上还有一些积雪，田野里农民已经开始翻地播种。午后起了风，云朵慢慢移动，影子从屋顶滑过。"
         "傍晚时分，炊烟升起，母亲在院子里喊孩子回家吃饭，狗在门口摇着尾巴。夜里星星很多，虫鸣声此起彼伏。")
ENGLISH = ("The annual report of the Riverside Community Library describes the programmes offered to readers "
           "during the year, including story time for children, evening lectures and a summer reading club. "
           "Volunteers catalogued 4,512 donated books and the reading room was renovated in the autumn. ")
# A page that looks like a 基础数据表 (title, unit, figures): garbled, none of it may become a field.
BASIC_LIKE = ["部门整体支出绩效评价基础数据表", "单位名称：云溪区委组织部  金额单位：万元",
              "年初预算数 1363.38  全年预算数 1400.00  全年执行数 1363.38",
              "其中：基本支出 701.92  项目支出 661.46  三公经费 0.96"]


# -- building PDFs -------------------------------------------------------------------------------------------

def _register_font() -> None:
    pytest.importorskip("reportlab")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if not FONT.exists():
        pytest.skip("fonts-wqy-microhei not installed")
    if "wqy" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("wqy", str(FONT), subfontIndex=0))


def text_pdf(path: Path, pages: list[list[str]], *, encrypt: str | None = None) -> Path:
    """One line of text per entry, one page per list (uncompressed, so its bytes can be edited)."""
    _register_font()
    from reportlab.lib import pdfencrypt
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    kw = {"encrypt": pdfencrypt.StandardEncryption(encrypt, canPrint=1)} if encrypt else {}
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1, pageCompression=0, **kw)
    for lines in pages:
        c.setFont("wqy", 11)
        y = 790.0
        for ln in lines:
            c.drawString(50, y, ln)
            y -= 20
        c.showPage()
    c.save()
    return path


def wrap(text: str, width: int) -> list[str]:
    return [text[i:i + width] for i in range(0, len(text), width)]


def strip_to_unicode(src: Path, dst: Path) -> Path:
    """The same PDF with every ``/ToUnicode`` reference blanked (same length: the xref stays valid)."""
    data = src.read_bytes()
    out, n = re.subn(rb"/ToUnicode\s+\d+\s+0\s+R", lambda m: b" " * len(m.group(0)), data)
    assert n >= 1
    dst.write_bytes(out)
    return dst


def garbled_pdf(path: Path) -> Path:
    plain = text_pdf(path.with_name("plain-" + path.name), [BASIC_LIKE + wrap(PROSE, 40)])
    strip_to_unicode(plain, path)
    plain.unlink()
    return path


def join_pdfs(out: Path, parts: list[tuple[Path, list[int] | None]]) -> Path:
    pdfium = pytest.importorskip("pypdfium2")
    dest = pdfium.PdfDocument.new()
    for src_path, pages in parts:
        src = pdfium.PdfDocument(str(src_path))
        dest.import_pages(src, pages)
        src.close()
    dest.save(str(out))
    dest.close()
    return out


# -- running the command line --------------------------------------------------------------------------------

def run(*args: str, env_extra: dict[str, str] | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONIOENCODING="utf-8", **(env_extra or {}))
    env.pop("DISPLAY", None)
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], cwd=cwd, capture_output=True,
                          text=True, encoding="utf-8", env=env, timeout=300)


def no_traceback(r: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in r.stderr, r.stderr
    assert "Traceback" not in r.stdout


def needs_fixture(*paths: Path) -> None:
    for p in paths:
        if not p.exists():
            pytest.skip(f"fixture {p.name} missing")


# -- a text layer that is garbage --------------------------------------------------------------------------

def test_a_garbled_text_layer_is_never_read_and_the_page_is_read_by_ocr_instead(tmp_path):
    needs_fixture(YUNXI)
    bad = garbled_pdf(tmp_path / "乱码 报告.pdf")
    # without OCR (and with pdfminer, which has no renderer) the page is flagged, its garbage not read
    for engine in ("pdfium", "pdfplumber"):
        doc = open_document(bad, "d1", engine=engine, ocr=False)
        assert doc.pages[0].garbled, engine
        assert [p["code"] for p in doc.problems] == ["garbled"]
    # with OCR (the default, issue 17) the page is read from its image; the garbage is dropped
    doc = open_document(bad, "d1")
    assert [(p.garbled, p.ocr) for p in doc.pages] == [(False, "garbled")]
    assert "部门整体支出绩效评价基础数据表" in doc.pages[0].text and "1363.38" in doc.pages[0].text
    assert [p["code"] for p in doc.problems] == ["ocr"]

    case = extract_case([bad, YUNXI])
    info = {Path(d.path).name: d for d in case.documents}
    bad_info = info["乱码 报告.pdf"]
    messages = [p["message"] for p in bad_info.problems]
    assert any("第1页没有可用的文字层" in m and "文字识别（OCR）" in m for m in messages), messages
    printed = set(re.findall(r"\d+(?:\.\d+)?", "".join(BASIC_LIKE + [PROSE])))
    read = [f for f in case.fields if f.doc == bad_info.id]
    assert all(f.attrs.get("ocr") is True and f.confidence < 1 for f in read)
    assert all(str(f.value) in printed for f in read if isinstance(f.value, Decimal)), \
        [(f.key, f.value) for f in read]
    good = info[YUNXI.name]
    assert good.problems == [] and any(f.doc == good.id and f.key == "basic.unit_name" for f in case.fields)


def test_a_garbled_page_inside_a_good_document_leaves_the_other_pages_as_they_were(tmp_path):
    needs_fixture(YUNXI)
    bad = garbled_pdf(tmp_path / "乱码.pdf")
    mixed = join_pdfs(tmp_path / "混合.pdf", [(YUNXI, None), (bad, None)])
    reference = extract_case([YUNXI])
    case = extract_case([mixed])
    n = reference.documents[0].pages + 1
    assert case.documents[0].pages == n
    assert {p["code"]: p["message"] for p in case.documents[0].problems} == {
        "ocr": f"第{n}页没有可用的文字层（扫描件或文字编码损坏），已用文字识别（OCR）读取；识别出的数字标有“OCR”，请对照页面核对"}
    assert all(f.attrs.get("ocr") for f in case.fields if f.page == n)

    def values(c):  # the text pages' figures; the last page's are read by OCR (marked, tested above)
        return sorted((f.key, str(f.value), f.page) for f in c.fields if f.page < n)

    assert values(case) == values(reference)
    assert [i.to_json() for i in case.indicators] == [i.to_json() for i in reference.indicators]


def test_a_garbled_file_on_the_command_line(tmp_path):
    bad = garbled_pdf(tmp_path / "乱码 报告.pdf")
    r = run("extract", str(bad))
    no_traceback(r)
    # no text layer can be read anywhere, but the page is read by OCR: the file is named with what happened
    assert r.returncode == 0, r.stderr
    assert "乱码 报告.pdf" in r.stderr and "文字识别（OCR）" in r.stderr
    out = json.loads(r.stdout)
    assert all(f["attrs"]["ocr"] is True for f in out["fields"])


# -- PDFs that are not a performance package at all ----------------------------------------------------------

@pytest.mark.parametrize("kind", ["中文散文", "English"])
def test_an_unrelated_pdf_is_said_to_be_probably_not_the_material(tmp_path, kind):
    needs_fixture(YUNXI)
    if kind == "English":
        pdf = text_pdf(tmp_path / "library report.pdf", [wrap(ENGLISH * 5, 90)])
    else:
        pdf = text_pdf(tmp_path / "春天 散文.pdf", [wrap(PROSE * 3, 40), wrap(PROSE * 2, 40)])
    case = extract_case([pdf, YUNXI])
    doc = next(d for d in case.documents if d.path == str(pdf))
    assert doc.problems == [{"code": "unrelated",
                             "message": "未识别出基础数据表、自评表、自评报告或部门决算表，可能不是绩效自评材料"}]
    assert not [f for f in case.fields if f.doc == doc.id]
    assert any(f.doc != doc.id for f in case.fields)  # the package beside it is read as usual

    r = run("extract", str(pdf))
    no_traceback(r)
    assert r.returncode == 0
    assert pdf.name in r.stderr and "可能不是绩效自评材料" in r.stderr
    assert json.loads(r.stdout)["fields"] == []


def test_a_budget_on_the_command_line_is_said_to_be_one(tmp_path):
    needs_fixture(BUDGET)
    r = run("extract", str(BUDGET))
    no_traceback(r)
    assert r.returncode == 0
    assert f"提示：{BUDGET.name}：这是部门预算，不是部门决算或绩效自评材料，不作审核" in r.stderr
    assert json.loads(r.stdout)["fields"] == []


# -- the same file twice ---------------------------------------------------------------------------------------

def test_the_same_file_given_twice_is_read_once(tmp_path):
    """The same path twice (or a folder and a file inside it) is one file: read once, nothing to report."""
    needs_fixture(SPLIT)
    files = sorted(SPLIT.glob("*.pdf"))
    pages: list[str] = []
    case = extract_case([files[0], SPLIT, files[0], str(files[0])],
                        progress=lambda stage, done, total: pages.append(stage) if done == 1 else None)
    assert [Path(d.path).name for d in case.documents] == [f.name for f in files]
    assert "unreadable" not in case.extra
    assert sum(1 for s in pages if files[0].name in s) == 1  # its pages were read once


def test_the_same_content_under_two_names_is_read_once_and_the_copy_named(tmp_path):
    needs_fixture(YUNXI)
    a = tmp_path / "自评材料.pdf"
    b = tmp_path / "自评材料 - 副本.pdf"
    shutil.copyfile(YUNXI, a)
    shutil.copyfile(YUNXI, b)
    case = extract_case([tmp_path])  # the folder: both files, sorted
    assert [Path(d.path).name for d in case.documents] == ["自评材料 - 副本.pdf"]
    assert case.extra["unreadable"] == [{"path": str(a), "code": "duplicate",
                                         "message": "与“自评材料 - 副本.pdf”内容完全相同，已跳过"}]
    r = run("extract", str(a), str(b))
    no_traceback(r)
    assert r.returncode == 0
    assert "自评材料 - 副本.pdf：与“自评材料.pdf”内容完全相同，已跳过" in r.stderr
    assert [Path(d["path"]).name for d in json.loads(r.stdout)["documents"]] == ["自评材料.pdf"]


# -- one case, every kind of bad file beside a good one --------------------------------------------------------

def test_every_bad_file_is_named_and_the_good_one_is_still_read(tmp_path):
    needs_fixture(YUNXI)
    pkg = tmp_path / "材料 包"
    pkg.mkdir()
    good = pkg / "云溪 自评材料.pdf"
    shutil.copyfile(YUNXI, good)
    bad = {
        "下载失败.pdf": (b"<!DOCTYPE html>\n<html><head><title>404</title></head></html>", "网页"),
        "报告.ofd.pdf": (b"PK\x03\x04\x14\x00\x00\x00\x08\x00OFD.xml", "OFD"),
        "材料.rar.pdf": (b"Rar!\x1a\x07\x01\x00", "压缩包"),
        "空白.pdf": (b"", "空"),
        "截断.pdf": (YUNXI.read_bytes()[:300], "损坏"),
        "副本.pdf": (YUNXI.read_bytes(), "内容完全相同"),
    }
    for name, (data, _) in bad.items():
        (pkg / name).write_bytes(data)
    text_pdf(pkg / "加密.pdf", [["部门整体支出绩效自评报告"]], encrypt="1234")
    r = run("extract", str(pkg), str(tmp_path / "不存在 的文件.pdf"))
    no_traceback(r)
    assert r.returncode == 0, r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.startswith("无法读取：")]
    for name, (_, reason) in bad.items():
        assert any(name in ln and reason in ln for ln in lines), (name, lines)
    assert any("加密.pdf" in ln and "需要输入密码" in ln for ln in lines)
    assert any("不存在 的文件.pdf" in ln and "文件不存在" in ln for ln in lines)
    assert len(lines) == len(bad) + 2
    case = json.loads(r.stdout)
    assert [Path(d["path"]).name for d in case["documents"]] == ["云溪 自评材料.pdf"] and case["fields"]
    assert {Path(u["path"]).name for u in case["unreadable"]} == set(bad) | {"加密.pdf", "不存在 的文件.pdf"}
    assert all(CJK.search(u["message"]) for u in case["unreadable"])


@pytest.mark.parametrize("make,reason", [
    (lambda d: d / ("长" * 100 + ".pdf"), "文件名或路径过长"),
    (lambda d: d / "没有这个文件.pdf", "文件不存在"),
    (lambda d: (d / "空文件夹").mkdir() or d / "空文件夹", "文件夹中没有PDF文件"),
    (lambda d: _zero_pages(d / "零页.pdf"), "PDF中没有任何页面"),
    (lambda d: _write(d / "下载.pdf", b"\xef\xbb\xbf<html><body>error</body></html>"), "网页（HTML）"),
    (lambda d: _write(d / "公文.ofd", b"PK\x03\x04\x14\x00\x00\x00\x08\x00OFD.xml"), "OFD版式文件"),
    (lambda d: _write(d / "材料.7z", b"7z\xbc\xaf\x27\x1c\x00\x04"), "压缩包"),
    pytest.param(lambda d: Path("/dev/null"), "不是一个普通文件",
                 marks=pytest.mark.skipif(not Path("/dev/null").exists(), reason="POSIX device")),
])
def test_more_kinds_of_unreadable_input_exit_3_with_the_file_named(tmp_path, make, reason):
    target = make(tmp_path)
    r = run("extract", str(target))
    no_traceback(r)
    assert r.returncode == 3, r.stderr
    assert r.stdout == ""
    assert f"无法读取：{target}：" in r.stderr and reason in r.stderr


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _zero_pages(path: Path) -> Path:
    pdfium = pytest.importorskip("pypdfium2")
    doc = pdfium.PdfDocument.new()
    doc.save(str(path))
    doc.close()
    return path


def test_a_folder_that_cannot_be_listed_is_named_and_the_rest_read(tmp_path, monkeypatch):
    """(A permission the test's user may lack; simulated, since CI runs as root.)"""
    needs_fixture(YUNXI)
    locked = tmp_path / "无权限 文件夹"
    locked.mkdir()
    real = Path.iterdir

    def iterdir(self):
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    case = extract_case([locked, YUNXI])
    assert [Path(d.path).name for d in case.documents] == [YUNXI.name]
    assert case.extra["unreadable"] == [{"path": str(locked), "code": "unreadable_dir",
                                         "message": "没有读取该文件夹的权限"}]
    with pytest.raises(NoInput) as e:
        extract_case([locked])
    assert e.value.problems[0]["message"] == "没有读取该文件夹的权限"


def test_a_wrong_password_and_an_encrypted_file_beside_good_ones(tmp_path):
    needs_fixture(YUNXI)
    enc = text_pdf(tmp_path / "加密 报告.pdf", [["部门整体支出绩效自评报告", "本年支出合计1363.38万元"]], encrypt="1234")
    r = run("extract", str(enc), "--password", "4321")
    no_traceback(r)
    assert r.returncode == 3 and f"无法读取：{enc}：密码不正确，无法打开加密的PDF" in r.stderr
    case = extract_case([enc, YUNXI])  # no password: the encrypted one is named, the other read
    assert [Path(d.path).name for d in case.documents] == [YUNXI.name]
    assert case.extra["unreadable"] == [{"path": str(enc), "code": "encrypted",
                                         "message": "PDF已加密，需要输入密码才能打开"}]
    case = extract_case([enc, YUNXI], passwords={str(enc): "1234"})  # the window asks per file
    assert [Path(d.path).name for d in case.documents] == [enc.name, YUNXI.name]


# -- a bug on one file ------------------------------------------------------------------------------------------

def test_a_bug_while_reading_one_file_names_it_and_the_others_are_read(tmp_path, monkeypatch):
    needs_fixture(YUNXI, SPLIT)
    import core.pipeline as pipeline

    real = pipeline.classify

    def classify(doc):
        if Path(doc.path).name.startswith("01-"):
            raise TypeError("a bug")
        return real(doc)

    monkeypatch.setattr(pipeline, "classify", classify)
    files = sorted(SPLIT.glob("*.pdf"))
    case = extract_case(files)
    assert [Path(d.path).name for d in case.documents] == [f.name for f in files[1:]]
    [u] = case.extra["unreadable"]
    assert u["path"] == str(files[0]) and u["code"] == "internal_error"
    assert "程序出错（TypeError）" in u["message"]


def test_a_bug_while_extracting_one_document_keeps_the_others(tmp_path, monkeypatch):
    needs_fixture(YUNXI, SPLIT)
    import core.pipeline as pipeline

    real = pipeline.extract_document
    files = sorted(SPLIT.glob("*.pdf"))

    def extract_document(doc, cls, case):
        real(doc, cls, case)  # adds its fields, then fails: none of them may stay
        if Path(doc.path) == files[0]:
            raise KeyError("a bug")

    monkeypatch.setattr(pipeline, "extract_document", extract_document)
    reference = extract_case(files[1:])
    case = extract_case(files)
    info = case.documents[0]
    assert info.problems[-1]["code"] == "internal_error" and "提取该文件的数字时程序出错（KeyError）" in \
        info.problems[-1]["message"]
    assert not [f for f in case.fields if f.doc == info.id]
    assert sorted((f.key, str(f.value)) for f in case.fields) == sorted(
        (f.key, str(f.value)) for f in reference.fields)


# -- a read-only input folder -----------------------------------------------------------------------------------

READ_ONLY_GUARD = textwrap.dedent('''
    """Test guard: the folder in JIXIAO_READ_ONLY is read-only for this process (and its workers), even for
    root; every attempt to write there is logged to JIXIAO_WRITE_LOG and fails with EROFS."""
    import builtins, errno, io, os, tempfile

    _RO = os.path.realpath(os.environ["JIXIAO_READ_ONLY"])
    _LOG = os.environ["JIXIAO_WRITE_LOG"]
    _open, _os_open = builtins.open, os.open


    def _inside(path):
        try:
            p = os.path.realpath(os.fspath(path))
        except TypeError:
            return False
        return p == _RO or p.startswith(_RO + os.sep)


    def _refuse(what, path):
        with _open(_LOG, "a", encoding="utf-8") as f:
            f.write(f"{what} {os.fspath(path)}\\n")
        raise OSError(errno.EROFS, "Read-only file system", os.fspath(path))


    def guarded_open(file, mode="r", *args, **kwargs):
        if not isinstance(file, int) and any(c in mode for c in "wax+") and _inside(file):
            _refuse("open", file)
        return _open(file, mode, *args, **kwargs)


    def guarded_os_open(path, flags, *args, **kwargs):
        writing = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
        if flags & writing and _inside(path):
            _refuse("os.open", path)
        return _os_open(path, flags, *args, **kwargs)


    def _wrap(name, *positions):
        real = getattr(os, name)

        def guarded(*args, **kwargs):
            for i in positions:
                if i < len(args) and _inside(args[i]):
                    _refuse(name, args[i])
            return real(*args, **kwargs)

        setattr(os, name, guarded)


    builtins.open = io.open = guarded_open
    os.open = guarded_os_open
    for _name in ("mkdir", "rmdir", "remove", "unlink", "utime", "chmod", "truncate"):
        _wrap(_name, 0)
    for _name in ("rename", "replace", "link", "symlink"):
        _wrap(_name, 0, 1)
''')


@pytest.fixture
def read_only_package(tmp_path):
    """A department folder that may not be written (EROFS for this process, 0555 for a non-root user)."""
    needs_fixture(YUNXI)
    folder = tmp_path / "只读 U盘" / "云溪 组织部"
    folder.mkdir(parents=True)
    shutil.copyfile(YUNXI, folder / YUNXI.name)
    guard = tmp_path / "guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(READ_ONLY_GUARD, encoding="utf-8")
    log = tmp_path / "writes.log"
    env = {"PYTHONPATH": os.pathsep.join([str(guard), str(ROOT)]), "JIXIAO_READ_ONLY": str(folder.parent),
           "JIXIAO_WRITE_LOG": str(log)}
    before = _snapshot(folder.parent)
    folder.chmod(0o555)
    folder.parent.chmod(0o555)
    yield folder, env, log
    folder.parent.chmod(0o755)
    folder.chmod(0o755)
    assert _snapshot(folder.parent) == before


def _snapshot(root: Path) -> list[tuple[str, int, int]]:
    return sorted((str(p.relative_to(root)), p.stat().st_size, p.stat().st_mtime_ns) for p in root.rglob("*"))


def test_a_read_only_folder_is_read_and_outputs_go_elsewhere(tmp_path, read_only_package):
    folder, env, log = read_only_package
    out = tmp_path / "输出 位置"
    r = run("extract", str(folder), "-o", str(tmp_path / "case.json"), env_extra=env)
    no_traceback(r)
    assert r.returncode == 0, r.stderr
    assert json.loads((tmp_path / "case.json").read_text(encoding="utf-8"))["fields"]
    r = run("export", str(folder), "-o", str(out / "导出"), env_extra=env)
    no_traceback(r)
    assert r.returncode == 0, r.stderr
    assert list((out / "导出").glob("*.xlsx"))
    r = run("batch", str(folder.parent), "-o", str(out / "批量"), "--jobs", "1", env_extra=env)
    no_traceback(r)
    assert r.returncode == 0, r.stderr
    assert list((out / "批量").rglob("*.xlsx"))
    assert not log.exists(), log.read_text(encoding="utf-8")  # nothing even tried to write beside the sources


def test_an_output_inside_the_read_only_folder_exits_4_with_the_reason(tmp_path, read_only_package):
    folder, env, log = read_only_package
    r = run("extract", str(folder), "-o", str(folder / "case.json"), env_extra=env)
    no_traceback(r)
    assert r.returncode == 4 and "保存位置只读" in r.stderr and "case.json" in r.stderr
    r = run("export", str(folder), "-o", str(folder / "导出"), env_extra=env)
    no_traceback(r)
    assert r.returncode == 4 and "只读" in r.stderr
    assert log.exists()  # the guard did refuse (the fixture checks that nothing was changed)


# -- names with spaces, Chinese, brackets and symbols -----------------------------------------------------------

ODD_NAMES = ["01 基础数据表 （终稿）#1.pdf", "02 自评表 & 附件 [定稿].pdf", "03 自评报告 'v2' ％.pdf",
             "04 部门决算 公开01-09表 ；情况说明.pdf"]


def _odd_package(root: Path) -> Path:
    needs_fixture(SPLIT)
    files = sorted(SPLIT.glob("*.pdf"))
    root.mkdir(parents=True)
    for src, name in zip(files, ODD_NAMES):
        shutil.copyfile(src, root / name)
    return root


def test_odd_file_names_through_export(tmp_path):
    import openpyxl

    pkg = _odd_package(tmp_path / "郴州 北湖区 （民政局） 2024")
    out = tmp_path / "导出 结果" / "第 1 批 (复核)"
    r = run("export", str(pkg), "-o", str(out))
    no_traceback(r)
    assert r.returncode == 0, r.stderr
    exported = [Path(ln.removeprefix("已导出：")) for ln in r.stdout.splitlines() if ln.startswith("已导出：")]
    [written] = [p for p in exported if p.suffix == ".xlsx"]  # beside it the 复核意见 (.docx)
    assert written.parent == out and written.is_file()
    assert all(p.parent == out and p.is_file() for p in exported)
    ws = openpyxl.load_workbook(written)["问题清单"]
    # every finding cites its file by its exact name (in the 备注 column: "文件：<name>")
    cited = {m for row in ws.iter_rows() for c in row if isinstance(c.value, str)
             for m in re.findall(r"文件：([^；\n]+?\.pdf)", c.value)}
    assert cited and cited <= set(ODD_NAMES)


def test_odd_file_and_folder_names_through_batch(tmp_path):
    import openpyxl

    district = tmp_path / "北湖区 2024 材料（第一批）"
    _odd_package(district / "民政局 & 附属单位")
    out = tmp_path / "批量 结果"
    r = run("batch", str(district), "-o", str(out), "--jobs", "1")
    no_traceback(r)
    assert r.returncode == 0, r.stderr
    exported = [Path(ln.removeprefix("已导出：")) for ln in r.stdout.splitlines() if ln.startswith("已导出：")]
    assert len(exported) == 2 and all(p.is_file() for p in exported)
    summary = next(p for p in exported if p.name.startswith("汇总表_"))
    assert summary.parent == out
    wb = openpyxl.load_workbook(summary)
    assert any("民政局" in str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value)


# -- never losing work: a disk that fills up while writing, and the audit trail read back ----------------------

FULL_DISK_GUARD = textwrap.dedent('''
    """Test guard: files written under JIXIAO_FULL_DISK through os.fdopen (the atomic writer's only way to
    write) fail with ENOSPC after 2 KB, as a disk that fills up in the middle of a workbook does."""
    import errno, os

    _FULL = os.path.realpath(os.environ["JIXIAO_FULL_DISK"])
    _fdopen = os.fdopen


    class _FillingUp:
        def __init__(self, f):
            self._f, self._n = f, 0

        def write(self, data):
            self._n += len(data)
            if self._n > 2048:
                raise OSError(errno.ENOSPC, "No space left on device")
            return self._f.write(data)

        def __getattr__(self, name):
            return getattr(self._f, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self._f.close()


    def fdopen(fd, *args, **kwargs):
        f = _fdopen(fd, *args, **kwargs)
        try:
            path = os.path.realpath(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:
            return f
        return _FillingUp(f) if path.startswith(_FULL + os.sep) else f


    os.fdopen = fdopen
''')


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="the guard finds a file's path through /proc")
def test_a_disk_that_fills_up_leaves_no_partial_output_and_says_so(tmp_path):
    needs_fixture(YUNXI)
    guard = tmp_path / "guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(FULL_DISK_GUARD, encoding="utf-8")
    full = tmp_path / "满盘"
    full.mkdir()
    env = {"PYTHONPATH": os.pathsep.join([str(guard), str(ROOT)]), "JIXIAO_FULL_DISK": str(full)}

    r = run("extract", str(YUNXI), "-o", str(full / "case.json"), env_extra=env)
    no_traceback(r)
    assert r.returncode == 4 and f"无法写入输出文件 {full / 'case.json'}：磁盘已满，无法保存输出文件" in r.stderr
    r = run("export", str(YUNXI), "-o", str(full / "导出"), env_extra=env)
    no_traceback(r)
    assert r.returncode == 4 and "磁盘已满，无法保存Excel文件" in r.stderr
    assert [p for p in full.rglob("*") if p.is_file()] == []  # no half file, no temporary file left

    # a previous good export in that folder survives a failed new one byte for byte
    good = run("export", str(YUNXI), "-o", str(tmp_path / "先前"))
    [book] = list((tmp_path / "先前").glob("*.xlsx"))
    (full / "导出").mkdir(exist_ok=True)
    shutil.copy2(book, full / "导出" / book.name)
    before = (full / "导出" / book.name).read_bytes()
    r = run("export", str(YUNXI), "-o", str(full / "导出"), env_extra=env)
    assert good.returncode == 0 and r.returncode == 4
    assert (full / "导出" / book.name).read_bytes() == before
    assert sorted(p.name for p in (full / "导出").iterdir()) == [book.name]

    r = run("batch", str(YUNXI.parent), "-o", str(full / "批量"), "--jobs", "1", env_extra=env)
    no_traceback(r)
    assert r.returncode == 4 and "磁盘已满" in r.stderr
    left = [p for p in (full / "批量").rglob("*") if p.is_file()]
    assert not [p for p in left if p.suffix in (".xlsx", ".tmp")], left  # no workbook, no temporary file
    for p in left:  # small files that fitted (the batch's workspace) are whole
        json.loads(p.read_text(encoding="utf-8"))


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="the guard finds a file's path through /proc")
def test_a_disk_that_fills_up_during_an_export_prints_no_traceback(tmp_path):
    needs_fixture(YUNXI)
    guard = tmp_path / "guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(FULL_DISK_GUARD, encoding="utf-8")
    env = {"PYTHONPATH": os.pathsep.join([str(guard), str(ROOT)]), "JIXIAO_FULL_DISK": str(tmp_path)}
    r = run("export", str(YUNXI), "-o", str(tmp_path / "导出"), env_extra=env)
    assert r.returncode == 4
    no_traceback(r)


def test_the_exported_corrections_are_those_of_the_case_file(tmp_path):
    """What the reviewer changed, as the case file records it, is what 修改记录 lists — read both back."""
    import openpyxl

    from core.pipeline import recheck
    from core.review.session import ReviewSession

    needs_fixture(YUNXI)
    case = extract_case([YUNXI])
    session = ReviewSession(case, recheck, reviewer="张审核")
    by_key = {f.key: f for f in case.fields}
    money, name = by_key["basic.sangong.final"], by_key["basic.unit_name"]
    rate = next(f for f in case.fields if f.unit == "%")
    session.correct(money.id, "0.97", reason="原表数字模糊")
    session.correct(name.id, "云溪区委组织部（更正）", reason="名称更正")
    session.undo()
    session.redo()
    session.correct(rate.id, "90.5%")
    session.correct(money.id, "12,000元", reason="按元填写，折合万元")
    saved = session.save(tmp_path / "审核 记录" / "云溪.case.json")

    r = run("export", "--case", str(saved), "-o", str(tmp_path / "导出"))
    no_traceback(r)
    assert r.returncode == 0, r.stderr
    [book] = [Path(ln.removeprefix("已导出：")) for ln in r.stdout.splitlines()
              if ln.startswith("已导出：") and ln.endswith(".xlsx")]
    recorded = json.loads(saved.read_text(encoding="utf-8"))["review"]["corrections"]
    assert len(recorded) == 6

    ws = openpyxl.load_workbook(book)["修改记录"]
    head = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "序号")
    rows = [[ws.cell(r, c).value for c in range(1, 12)] for r in range(head + 1, head + 1 + len(recorded))]
    kinds = {"edit": "修改", "undo": "撤销", "redo": "重做"}

    def same(cell, value) -> bool:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return cell is not None and Decimal(str(cell)) == Decimal(str(value))
        return cell == value

    for row, c in zip(rows, recorded, strict=True):
        seq, op, label, key, doc, page, original, new, reason, when, reviewer = row
        assert (seq, op, key, reviewer) == (c["seq"], kinds[c["kind"]], c["key"], c["reviewer"])
        assert same(original, c["original_value"]) and same(new, c["new_value"]), (row, c)
        assert (reason or "") == c["reason"]
        assert when == datetime.fromisoformat(c["time"]).replace(tzinfo=None)
        assert doc == YUNXI.name and page == next(f.page for f in case.fields if f.id == c["field_id"])
    assert ws.cell(head + 1 + len(recorded), 1).value is None  # nothing more listed
    assert same(next(f for f in json.loads(saved.read_text(encoding="utf-8"))["fields"]
                     if f["id"] == money.id)["value"], 1.2)  # the last value is the one exported
