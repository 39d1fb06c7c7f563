"""Damaged Word, Excel, WPS and OFD files: whatever the damage, a Document or a DocumentError with a Chinese
reason — never another exception (the window and the command line would show a traceback)."""

from __future__ import annotations

import random
import re
import zipfile
from pathlib import Path

import pytest

from core.documents.reader import open_any
from core.errors import DocumentError

OFFICE = Path(__file__).resolve().parents[2] / "data" / "office"
FILES = [OFFICE / "split_files_2024/03-部门整体支出绩效自评报告.docx",
         OFFICE / "split_files_2024/03-部门整体支出绩效自评报告.doc",
         OFFICE / "split_files_2024/02-部门整体支出绩效自评表.xlsx",
         OFFICE / "split_files_2024/02-部门整体支出绩效自评表.xls",
         OFFICE / "split_files_2024/02-部门整体支出绩效自评表.ofd"]
CJK = re.compile(r"[\u4e00-\u9fff]")


def _check(path: Path) -> None:
    try:
        open_any(path, "d1")
    except DocumentError as e:
        assert CJK.search(e.reason), e.reason


@pytest.mark.parametrize("src", FILES, ids=lambda p: p.suffix)
def test_flipped_bytes_give_a_document_or_a_reason(tmp_path, capfd, src):
    data = src.read_bytes()
    rnd = random.Random(src.suffix)  # derandomised: the same damage every run
    for k in range(40):
        b = bytearray(data)
        for _ in range(rnd.randint(1, 40)):
            b[rnd.randrange(len(b))] = rnd.randrange(256)
        path = tmp_path / f"{k}{src.suffix}"
        path.write_bytes(bytes(b))
        _check(path)
    assert capfd.readouterr().out == ""  # nothing on stdout, where the command line writes its JSON


@pytest.mark.parametrize("src", [f for f in FILES if f.suffix in (".docx", ".xlsx", ".ofd")], ids=lambda p: p.suffix)
def test_damaged_parts_inside_the_zip_give_a_document_or_a_reason(tmp_path, src):
    """The zip is intact but a part is cut short or garbled (a bad save, a broken converter)."""
    rnd = random.Random("parts" + src.suffix)
    with zipfile.ZipFile(src) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    for k in range(20):
        name = rnd.choice(sorted(n for n in parts if n.endswith(".xml")))
        data = parts[name]
        cut = data[: rnd.randrange(len(data))] if k % 2 else data.replace(b"<", b"", rnd.randint(1, 5))
        path = tmp_path / f"{k}{src.suffix}"
        with zipfile.ZipFile(path, "w") as z:
            for n, d in parts.items():
                z.writestr(n, cut if n == name else d)
        _check(path)
