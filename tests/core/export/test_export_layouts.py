"""Sheet layouts are data: the bundled files load, a broken file fails with a message naming the file and the
place, and a district's own layout folder changes the workbook without code changes."""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from core.export import LayoutError, export_workbooks, load_all, load_layout
from core.export.layouts import SOURCES, layouts_dir, parse_area, parse_part_ref
from core.model import Case, DocumentInfo, Field, SourceRef

NOW = datetime(2025, 7, 3, 9, 0)


def small_case() -> Case:
    src = SourceRef("d1", 1, (0, 0, 1, 1))
    fields = [
        Field("basic.unit_name", "某区某局", "", "某区某局", src),
        Field("basic.sangong.final", Decimal("0.96"), "万元", "0.96", src),
        Field("basic.reception.final", Decimal("0.96"), "万元", "0.96", src),
        Field("basic.budget_adjustment.final", Decimal("12.5"), "万元", "12.5", src),
    ]
    return Case(documents=[DocumentInfo("d1", "/x/基础数据表.pdf", "", 1, year=2018)], fields=fields)


def test_bundled_layouts_load_and_match_the_manifest():
    manifest, layouts = load_all()
    assert [s for wb in manifest.workbooks for s in wb.sheets] == [
        "basic_data", "selfeval", "common_indicators", "findings", "coverage", "corrections"]
    for lay in layouts.values():
        for b in lay.blocks:
            if b.kind == "table":
                assert {c.key for c in b.columns if c.key} <= SOURCES[b.source]
    basic = layouts["basic_data"]
    assert basic.print.paper == "A4" and basic.print.fit_width == 1 and basic.print.orientation == "portrait"
    assert basic.block("funds").height == 17  # header + the 16 rows B1–B16 of domain §1.2


def test_reference_parsing():
    assert parse_area("B2:C3").row2 == 3 and parse_area("AA10").col1 == 27
    assert parse_part_ref("funds!H2") == ("funds", "cell", "H2")
    assert parse_part_ref("indicators[score]") == ("indicators", "column", "score")
    with pytest.raises(ValueError):
        parse_area("C3:B2")
    with pytest.raises(ValueError):
        parse_part_ref("SUM(A1)")


def _write(tmp_path: Path, data, name="bad.json") -> Path:
    p = tmp_path / name
    p.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return p


def _base(**over):
    d = {"schema": "sheet-layout/1", "id": "t", "sheet": "表", "columns": {"A": 10},
         "blocks": [{"name": "head", "kind": "fixed", "cells": [{"ref": "A1", "text": "标题"}]}]}
    d.update(over)
    return d


BAD = [
    ("{not json", "第1行"),
    (_base(schema="sheet-layout/9"), "schema"),
    (_base(sheet="问题[清单]"), "sheet"),
    (_base(columns={"a": 10}), "columns.a"),
    (_base(blocks=[]), "blocks"),
    (_base(blocks=[{"name": "h", "cells": [{"ref": "A1", "text": "x", "colour": "red"}]}]), "未知属性：colour"),
    (_base(blocks=[{"name": "h", "cells": [{"ref": "B2:A1", "text": "x"}]}]), "从左上写到右下"),
    (_base(blocks=[{"name": "h", "cells": [{"ref": "A1:B1", "text": "x"}, {"ref": "B1", "text": "y"}]}]), "重叠"),
    (_base(blocks=[{"name": "h", "cells": [{"ref": "A1", "text": "x", "field": "basic.unit_name"}]}]),
     "只能有一个"),
    (_base(blocks=[{"name": "h", "cells": [{"ref": "A1", "text": "{unit}"}]}]), "未知占位符"),
    (_base(blocks=[{"name": "h", "cells": [{"ref": "A1", "text": "x", "style": "fancy"}]}]), "未知样式"),
    (_base(blocks=[{"name": "h", "cells": [{"ref": "A1", "field": "k", "format": "money!"}]}]), "未知格式"),
    (_base(blocks=[{"name": "h", "cells": [{"ref": "A1", "field": "k", "sum_of": ["nope!B1"]}]}]), "不存在的块"),
    (_base(blocks=[{"name": "h", "cells": [{"ref": "A1", "formula": "SUM(A2)"}]}]), "不写公式"),
    (_base(blocks=[{"name": "t", "kind": "table", "source": "people", "columns": [{"col": "A", "key": "x"}]}]),
     "未知数据源"),
    (_base(blocks=[{"name": "t", "kind": "table", "source": "findings", "columns": [{"col": "A", "key": "nope"}]}]),
     "没有“nope”"),
    (_base(blocks=[{"name": "t", "kind": "table", "source": "findings",
                    "columns": [{"col": "A:B", "key": "seq"}, {"col": "B", "key": "message"}]}]), "重叠"),
    (_base(print={"paper": "B5"}), "print.paper"),
    (_base(print={"repeat_header": "head"}), "print.repeat_header"),
    (_base(styles={"x": {"h": "middle"}}), "对齐方式"),
]


@pytest.mark.parametrize("data,expect", BAD, ids=[b[1] for b in BAD])
def test_a_bad_layout_file_gives_a_clear_error(tmp_path, data, expect):
    p = _write(tmp_path, data)
    with pytest.raises(LayoutError) as err:
        load_layout(p)
    msg = str(err.value)
    assert str(p) in msg and expect in msg, msg


def test_missing_layout_named_in_manifest(tmp_path):
    d = tmp_path / "layouts"
    shutil.copytree(layouts_dir(), d)
    (d / "corrections.json").unlink()
    with pytest.raises(LayoutError) as err:
        load_all(d)
    assert "找不到版式“corrections”" in str(err.value)


def test_a_district_layout_folder_changes_the_workbook_without_code(tmp_path):
    """A district whose annex is 附件3 with the 2018 wording, and which wants one file per form."""
    d = tmp_path / "layouts"
    shutil.copytree(layouts_dir(), d)
    basic = json.loads((d / "basic_data.json").read_text(encoding="utf-8"))
    for block in basic["blocks"]:
        for c in block["cells"]:
            if c.get("text") == "附件2":
                c["text"] = "附件3"
            elif c.get("text") == "部门基本支出预算调整":
                c["text"] = "部门整体支出预算调整"
            elif c.get("text") == "1、业务工作经费":
                c["text"] = "1、业务工作专项"
    basic["sheet"] = "附件3 基础数据表"
    (d / "basic_data.json").write_text(json.dumps(basic, ensure_ascii=False), encoding="utf-8")
    (d / "workbook.json").write_text(json.dumps({"schema": "workbook-layout/1", "workbooks": [
        {"file_name": "{unit_name}_{year}_基础数据表.xlsx", "sheets": ["basic_data"]},
        {"file_name": "{unit_name}_{year}_审核结果.xlsx",
         "sheets": ["selfeval", "common_indicators", "findings", "corrections"]}]}, ensure_ascii=False),
        encoding="utf-8")
    paths = export_workbooks(small_case(), tmp_path / "out", layouts_dir=d, now=NOW)
    assert [p.name for p in paths] == ["某区某局_2018_基础数据表.xlsx", "某区某局_2018_审核结果.xlsx"]
    wb = openpyxl.load_workbook(paths[0])
    assert wb.sheetnames == ["附件3 基础数据表"]
    ws = wb.active
    assert ws["A1"].value == "附件3"
    labels = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    assert "部门整体支出预算调整" in labels and "1、业务工作专项" in labels
    r = labels.index("部门整体支出预算调整") + 1
    assert ws.cell(r, 6).value == 12.5 and ws.cell(r, 6).number_format == "0.00"
    assert ws.cell(labels.index("经费控制情况(万元)") + 1, 2).value == "2017年决算数"
    assert openpyxl.load_workbook(paths[1]).sheetnames == ["整体支出绩效自评表", "共性指标评分表", "问题清单", "修改记录"]


def test_a_bad_layout_stops_before_anything_is_written(tmp_path):
    d = tmp_path / "layouts"
    shutil.copytree(layouts_dir(), d)
    _write(d, _base(id="broken", blocks=[{"name": "h", "cells": [{"ref": "A0", "text": "x"}]}]), "broken.json")
    out = tmp_path / "out"
    with pytest.raises(LayoutError) as err:
        export_workbooks(small_case(), out, layouts_dir=d, now=NOW)
    assert "broken.json" in str(err.value) and "A0" in str(err.value)
    assert not out.exists()
