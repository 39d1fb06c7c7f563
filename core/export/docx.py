"""The draft 复核意见 of a department as a Word document (.docx): the one module that writes .docx.

Why it exists: at the end of each department the reviewer writes a short review opinion in the register of a
finance bureau.  This drafts it from the review: the package reviewed (documents, with their sha256 in an
annex), the 自评 score and grade against the recomputed ones, the problems the reviewer confirmed (确认问题),
grouped (数据一致性 / 计算错误 / 指标设置 / 资料完整性 / 预算执行) with their figures and pages, and the 整改要求
that follow.  Findings the reviewer excluded (排除, 已核实, 不适用) are not in it; findings not yet decided are
listed apart under 待核实事项, so none is lost and none is presented as confirmed.  The wording is data
(``resources/review_opinion.json``): a district rewrites any sentence there.

How: a .docx is a zip of a few XML parts; this module writes the five it needs with ``zipfile`` (no
dependency: python-docx would add lxml, ~5–8 MB, for what is here ~150 lines).  Text is plain paragraphs and
two simple tables (no text boxes, no fields): document text is XML-escaped into ``<w:t>`` runs, so "{ MERGEFIELD
x }" or "=SUM()" from a document stays text — Word makes a field only from ``w:fldSimple``/``w:instrText``,
which are never written.  WPS and LibreOffice open it.  Written atomically like the workbooks.

What it must not do: run checks or score (``review_items`` and ``case.scores`` give everything), change the
case.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from core.errors import OutputError, os_error_reason
from core.export.review_items import (CONFIRMED, OPEN, ReviewItem, check_catalogue, review_items,
                                      short_doc_name)
from core.model import Case
from core.resources import resource_path
from core.review.atomic import write_atomic

TEMPLATE_SCHEMA = "review-opinion/1"
_BAD_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_WIN_BAD = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def load_template(path: str | Path | None = None) -> dict[str, Any]:
    """The wording (``resources/review_opinion.json`` by default).  Raises ``OutputError`` with a Chinese
    reason when the file is missing or not the expected schema."""
    p = Path(path) if path else resource_path("review_opinion.json")
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise OutputError(str(p), f"复核意见模板无法读取（{e}）") from None
    if not isinstance(data, dict) or data.get("schema") != TEMPLATE_SCHEMA:
        raise OutputError(str(p), f"复核意见模板格式不对（应为“{TEMPLATE_SCHEMA}”）")
    return data


# -- what the opinion says ------------------------------------------------------------------------------------

@dataclass
class Paragraph:
    text: str
    style: str = "body"         # title / number / heading / body / item / right / note
    table: list[list[str]] | None = None  # a table instead of text
    widths: tuple[int, ...] = ()          # column widths of the table, twips (A4 text width ≈ 8840)


def _fmt(d: Any) -> str:
    if isinstance(d, Decimal):
        s = format(d, "f")
        return s
    return "" if d is None else str(d)


def _fill(tpl: str, values: Mapping[str, Any]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: _fmt(values.get(m.group(1), m.group(0))), tpl)


def _places_text(it: ReviewItem) -> str:
    parts = []
    for p in it.places:
        pages = "、".join(str(x) for x in p.pages)
        parts.append(f"{p.short_name}第{pages}页" if pages else p.short_name)
    return "；".join(parts) or "材料中"


def _figures(it: ReviewItem) -> str:
    """The finding's figures that its message does not already print."""
    printed = {Decimal(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", it.message)}
    out = []
    for v in it.values:
        if isinstance(v, Decimal) and v not in printed:
            out.append(_fmt(v))
    return "、".join(dict.fromkeys(out))


def _year(case: Case) -> str:
    years = [d.year for d in case.documents if isinstance(d.year, int)]
    return str(max(set(years), key=years.count)) if years else ""


def _unit(case: Case) -> str:
    for key in ("basic.unit_name", "selfeval.unit_name", "accounts.unit_name"):
        v = case.value(key)
        if isinstance(v, str) and v.strip():
            return v.strip()
    return next((d.unit_name for d in case.documents if d.unit_name), "") or "（单位名称）"


def opinion_paragraphs(case: Case, items: list[ReviewItem], tpl: Mapping[str, Any], *,
                       now: datetime | None = None) -> list[Paragraph]:
    """The opinion as a list of paragraphs (and two tables), in order: what ``write_docx`` draws."""
    now = now or datetime.now()
    unit, year = _unit(case), _year(case)
    docs = [d for d in case.documents]
    doc_names = "、".join(dict.fromkeys(f"《{Path(d.path.replace(chr(92), '/')).stem}》" for d in docs)) or "（无）"
    v: dict[str, Any] = {"unit_name": unit, "year": year, "bureau": tpl.get("bureau", ""),
                         "date": f"{now.year}年{now.month}月{now.day}日", "documents": doc_names,
                         "days": tpl.get("days", "15")}
    out = [Paragraph(_fill(tpl["title"], v), "title"), Paragraph(_fill(tpl["number"], v), "number"),
           Paragraph(_fill(tpl["addressee"], v), "addressee"), Paragraph(_fill(tpl["opening"], v))]
    # the scope: which checks were done, which do not apply, which could not be done (core.checks.coverage)
    scope = _scope(case, tpl)
    v.update(scope.counts)
    if "scope" in tpl:
        out.append(Paragraph(_fill(tpl["scope"] if scope.not_done else tpl.get("scope_all", tpl["scope"]), v)))

    # 一、the score
    out.append(Paragraph(tpl["score_heading"], "heading"))
    scores = case.scores if isinstance(case.scores, Mapping) else {}
    sev = scores.get("selfeval") if isinstance(scores.get("selfeval"), Mapping) else {}
    stated = sev.get("total") if isinstance(sev.get("total"), Decimal) else case.value("selfeval.total_score")
    raw = sev.get("recomputed_total")
    wsum = sev.get("weight_sum")
    rescaled = isinstance(wsum, Decimal) and wsum != 100 and isinstance(sev.get("normalized_total"), Decimal)
    score = sev.get("normalized_total") if rescaled else raw
    g_s = sev.get("grade") or case.value("selfeval.grade") or "未填"
    g_r = sev.get("recomputed_grade") or ""
    review = scores.get("review") if isinstance(scores.get("review"), Mapping) else None
    caps = review.get("caps") if review is not None and isinstance(review.get("caps"), Mapping) else {}
    v["caps"] = _fill(tpl.get("score_caps", "封顶规则：{caps_text}"),
                      {"caps_text": caps.get("text") or tpl.get("score_no_caps", "不封顶")})
    if review is not None and isinstance(review.get("total"), Decimal):  # 复核评分 (core.scoring.review_score)
        score, g_r, raw = review["total"], review.get("grade") or "", review.get("raw_total")
        wsum, rescaled = review.get("weight_sum"), review.get("rescaled_total") is not None
        v["rescaled_score"] = review.get("rescaled_total")
    else:
        v["rescaled_score"] = score
    v.update(stated_score=stated if stated is not None else "未填", stated_grade=g_s, score=score, grade=g_r,
             raw_score=raw, weight_sum=wsum)
    if not isinstance(score, Decimal):
        out.append(Paragraph(_fill(tpl["score_missing"], v)))
    else:
        same = isinstance(stated, Decimal) and stated == score and g_s == g_r
        if not same and isinstance(stated, Decimal):
            d = score - stated
            v["diff"] = f"比自评{'高' if d > 0 else '低'}{_fmt(abs(d))}分" if d else "与自评得分相同"
        else:
            v["diff"] = "自评未填得分"
        if rescaled:  # the weights do not add up to 100: never "与自评结果一致", say how the score was had
            out.append(Paragraph(_fill(tpl["score_rescaled"], v)))
        else:
            out.append(Paragraph(_fill(tpl["score_same" if same else "score_differs"], v)))
        rate = sev.get("execution_rate") if isinstance(sev.get("execution_rate"), Mapping) else {}
        rows = [list(tpl["score_table"]),
                ["自评总分", _fmt(stated) or "未填", _fmt(score), _fmt(score - stated) if isinstance(stated, Decimal) else ""],
                ["评价等次", str(g_s), str(g_r), "" if g_s == g_r else "不一致"]]
        if isinstance(rate.get("recomputed"), Decimal):
            st = rate.get("stated")
            rows.append(["预算执行率（%）", _fmt(st) or "未填", _fmt(rate["recomputed"].quantize(Decimal("0.01"))),
                         ""])
        out.append(Paragraph("", "table", rows))
        out.extend(_deduction_paragraphs(review, tpl))

    # 二、the confirmed problems, grouped
    out.append(Paragraph(tpl["problems_heading"], "heading"))
    confirmed = [it for it in items if it.state == CONFIRMED]
    pending = [it for it in items if it.state == OPEN and it.severity in ("error", "warning")]
    judged = _judgement_rows(review)
    order = list(check_catalogue().groups)
    groups: dict[str, list[Any]] = {}
    for it in confirmed:
        groups.setdefault(it.group if it.group in order else order[0], []).append(it)
    for c in scope.failed:  # a check the reviewer did by hand and found failing is a problem too
        g = check_catalogue().group(c.check_id)
        groups.setdefault(g if g in order else order[0], []).append(c)
    present = [g for g in order if g in groups]
    count = len(confirmed) + len(scope.failed)
    if not count:
        key = "problems_undecided" if (pending or judged) and "problems_undecided" in tpl else "problems_none"
        out.append(Paragraph(_fill(tpl[key], {**v, "pending": len(pending) + len(judged)})))
    else:
        out.append(Paragraph(_fill(tpl["problems_intro"], {**v, "count": count})))
        cn = "一二三四五六七八九十"
        for gi, g in enumerate(present):
            spec = tpl["groups"].get(g, {"heading": "（{n}）" + g})
            out.append(Paragraph(_fill(spec["heading"], {"n": cn[gi] if gi < 10 else gi + 1}), "subheading"))
            for n, it in enumerate(groups[g], 1):
                if not isinstance(it, ReviewItem):  # a check failed by hand (CoverageItem)
                    out.append(Paragraph(_fill(tpl.get("manual_fail_item", "{n}. {name}：{note}"),
                                               {"n": n, "name": it.name, "note": it.note}).rstrip(), "item"))
                    continue
                text = _fill(tpl["item"], {"n": n, "message": it.message.rstrip("。"), "places": _places_text(it)})
                figs = _figures(it)
                if figs:
                    text += _fill(tpl["item_figures"], {"figures": figs})
                out.append(Paragraph(text, "item"))

    if scope.not_done and "not_done_intro" in tpl:  # what this opinion does not cover, named
        out.append(Paragraph(_fill(tpl["not_done_intro"], {"count": len(scope.not_done)})))
        for n, c in enumerate(scope.not_done, 1):
            out.append(Paragraph(_fill(tpl["not_done_item"], {"n": n, "name": c.name, "why": c.why.rstrip("。")}),
                                 "item"))

    # 三、整改要求
    out.append(Paragraph(tpl["requirements_heading"], "heading"))
    resend = _fill(tpl["not_done_requirement"], v) if scope.not_done and "not_done_requirement" in tpl else ""
    if not count and not resend:
        out.append(Paragraph(tpl["requirements_none"]))
    else:
        out.append(Paragraph(tpl["requirements_intro"]))
        n = 0
        for g in present:
            req = tpl["groups"].get(g, {}).get("requirement")
            if req:
                n += 1
                out.append(Paragraph(f"{n}. {req}", "item"))
        if resend:  # the material behind the checks that could not be done
            out.append(Paragraph(f"{n + 1}. {resend}", "item"))
        out.append(Paragraph(_fill(tpl["requirements_close"], v)))

    # 四、待核实事项: undecided errors and warnings, never lost, never presented as confirmed
    if pending or judged:
        out.append(Paragraph(tpl["pending_heading"], "heading"))
        out.append(Paragraph(_fill(tpl["pending_intro"], {"count": len(pending) + len(judged)})))
        for n, it in enumerate(pending, 1):
            sev_name = "错误" if it.severity == "error" else "警告"
            out.append(Paragraph(_fill(tpl["item"], {"n": n, "message": f"［{sev_name}·{it.name or it.check}］"
                                                     + it.message.rstrip("。"), "places": _places_text(it)}),
                                 "item"))
        for n, r in enumerate(judged, len(pending) + 1):  # 复核评分 rows the tool would not score alone
            out.append(Paragraph(_fill(tpl.get("judgement_item", "{n}. {name}：{basis}"),
                                       {"n": n, "name": r["name"], "basis": r["basis"]}), "item"))

    out.append(Paragraph(_fill(tpl["signature"], v), "right"))
    out.append(Paragraph(_fill(tpl["date"], v), "right"))
    # 附件: the documents reviewed
    out.append(Paragraph(tpl["annex_heading"], "annex"))
    rows = [list(tpl["annex_table"])]
    for i, d in enumerate(docs, 1):
        rows.append([str(i), Path(d.path.replace("\\", "/")).name, short_doc_name(case, d.id), str(d.pages),
                     d.sha256])
    out.append(Paragraph("", "table", rows, (600, 3100, 1300, 640, 3200)))
    out.append(Paragraph(_fill(tpl["annex_note"], v), "note"))
    return out


def _review_rows(review: Mapping[str, Any] | None) -> list[Mapping[str, Any]]:
    if review is None:
        return []
    rows = [r for r in review.get("rows") or [] if isinstance(r, Mapping)]
    ex = review.get("execution")
    return rows + ([ex] if isinstance(ex, Mapping) else [])


def _deduction_paragraphs(review: Mapping[str, Any] | None, tpl: Mapping[str, Any]) -> list[Paragraph]:
    """The main deductions of the 复核评分, largest first, each with its 依据 (without the rule ids in 〔〕,
    which are for the reviewer's sheet)."""
    rows = [r for r in _review_rows(review) if isinstance(r.get("deduction"), Decimal) and r["deduction"] > 0]
    if not rows or "deduction_item" not in tpl:
        return []
    rows.sort(key=lambda r: -r["deduction"])
    out = [Paragraph(tpl.get("deductions_intro", ""))]
    for n, r in enumerate(rows, 1):
        basis = re.sub(r"〔[^〔〕]*(?:〔[^〔〕]*〕[^〔〕]*)*〕", "", str(r.get("basis_text") or "")).rstrip("。；")
        out.append(Paragraph(_fill(tpl["deduction_item"], {
            "n": n, "name": r.get("level3") or r.get("level1") or "", "self_score": _fmt(r.get("self_score")),
            "review_score": _fmt(r.get("review_score")), "deduction": _fmt(r["deduction"]), "basis": basis}),
            "item"))
    return out


def _judgement_rows(review: Mapping[str, Any] | None) -> list[dict[str, str]]:
    out = []
    for r in _review_rows(review):
        if r.get("needs_judgement"):
            parts = [b.get("text", "") for b in r.get("basis") or [] if isinstance(b, Mapping) and b.get("judgement")]
            out.append({"name": str(r.get("level3") or r.get("level1") or ""), "basis": "；".join(parts)})
    return out


# -- the .docx ------------------------------------------------------------------------------------------------

def _t(text: str) -> str:
    """Text as a run: XML-escaped, characters XML cannot hold removed, line breaks as <w:br/>."""
    clean = _BAD_XML.sub("", text)
    parts = clean.split("\n")
    return "<w:br/>".join(f'<w:t xml:space="preserve">{escape(p)}</w:t>' for p in parts)


def _para(p: Paragraph) -> str:
    if p.table is not None:
        return _table(p.table, p.widths)
    style = {"title": "Title", "heading": "Heading1", "subheading": "Heading2", "annex": "Heading1"}.get(p.style)
    ppr = f'<w:pStyle w:val="{style}"/>' if style else ""
    if p.style in ("number", "right"):
        ppr += '<w:jc w:val="right"/>' if p.style == "right" else '<w:jc w:val="center"/>'
    elif p.style in ("body", "item"):
        ppr += '<w:ind w:firstLineChars="200" w:firstLine="560"/><w:jc w:val="both"/>'
    elif p.style == "note":
        ppr += '<w:spacing w:before="120"/>'
    if p.style == "annex":
        ppr += '<w:pageBreakBefore/>'
    return f"<w:p><w:pPr>{ppr}</w:pPr><w:r>{_t(p.text)}</w:r></w:p>"


def _table(rows: list[list[str]], widths: tuple[int, ...] = ()) -> str:
    ncol = max(len(r) for r in rows)
    widths = widths if len(widths) == ncol else tuple([8840 // ncol] * ncol)
    border = "".join(f'<w:{s} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                     for s in ("top", "left", "bottom", "right", "insideH", "insideV"))
    out = [f'<w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/><w:jc w:val="center"/>'
           f'<w:tblBorders>{border}</w:tblBorders><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>'
           + "".join(f'<w:gridCol w:w="{w}"/>' for w in widths) + "</w:tblGrid>"]
    for i, r in enumerate(rows):
        cells = []
        for w, c in zip(widths, r + [""] * (ncol - len(r))):
            small = len(c) > 40 and " " not in c  # a sha256: one line in a smaller size
            sz = 14 if small else 21
            rpr = f'<w:rPr>{"<w:b/>" if i == 0 else ""}<w:sz w:val="{sz}"/><w:szCs w:val="{sz}"/></w:rPr>'
            cells.append(f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr><w:p>'
                         f'<w:pPr><w:spacing w:line="300" w:lineRule="auto"/><w:jc w:val="center"/></w:pPr>'
                         f'<w:r>{rpr}{_t(c)}</w:r></w:p></w:tc>')
        head = "<w:trPr><w:tblHeader/></w:trPr>" if i == 0 else ""
        out.append(f"<w:tr>{head}{''.join(cells)}</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


_NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')


def _styles(tpl: Mapping[str, Any]) -> str:
    font = tpl.get("font", {})
    body, title, heading = (escape(str(font.get(k, d))) for k, d in (("body", "仿宋"), ("title", "宋体"),
                                                                      ("heading", "黑体")))
    size = int(float(font.get("size_pt", 14)) * 2)
    tsize = int(float(font.get("title_size_pt", 20)) * 2)

    def fonts(name: str) -> str:
        return f'<w:rFonts w:ascii="{name}" w:hAnsi="{name}" w:eastAsia="{name}" w:cs="{name}"/>'
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles {_NS}>'
            f'<w:docDefaults><w:rPrDefault><w:rPr>{fonts(body)}<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>'
            '<w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>'
            '<w:spacing w:after="0" w:line="440" w:lineRule="exact"/></w:pPr></w:pPrDefault></w:docDefaults>'
            '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
            f'<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/>'
            f'<w:pPr><w:spacing w:before="240" w:after="240" w:line="560" w:lineRule="exact"/>'
            f'<w:jc w:val="center"/></w:pPr><w:rPr>{fonts(title)}<w:b/><w:sz w:val="{tsize}"/></w:rPr></w:style>'
            f'<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn '
            f'w:val="Normal"/><w:pPr><w:keepNext/><w:spacing w:before="120"/><w:ind w:firstLineChars="200" '
            f'w:firstLine="560"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr>{fonts(heading)}</w:rPr></w:style>'
            f'<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn '
            f'w:val="Normal"/><w:pPr><w:keepNext/><w:ind w:firstLineChars="200" w:firstLine="560"/>'
            f'<w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/></w:rPr></w:style></w:styles>')


def docx_bytes(paragraphs: Iterable[Paragraph], tpl: Mapping[str, Any], *, title: str = "",
               now: datetime | None = None) -> bytes:
    """The .docx file (a zip of five XML parts) for these paragraphs."""
    body = "".join(_para(p) for p in paragraphs)
    sect = ('<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" '
            'w:left="1588" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr>')  # A4, 公文 margins
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {_NS}><w:body>{body}{sect}'
                '</w:body></w:document>')
    stamp = (now or datetime.now()).strftime("%Y-%m-%dT%H:%M:%SZ")
    core = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><cp:coreProperties '
            'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f'<dc:title>{escape(_BAD_XML.sub("", title))}</dc:title><dc:creator>绩效自评材料审核工具</dc:creator>'
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created></cp:coreProperties>')
    types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types '
             'xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/>'
             '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
             'wordprocessingml.document.main+xml"/>'
             '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.'
             'wordprocessingml.styles+xml"/>'
             '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.'
             'core-properties+xml"/></Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships '
            'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="word/document.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
            'core-properties" Target="docProps/core.xml"/></Relationships>')
    doc_rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships '
                'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                'styles" Target="styles.xml"/></Relationships>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in (("[Content_Types].xml", types), ("_rels/.rels", rels), ("docProps/core.xml", core),
                           ("word/document.xml", document), ("word/_rels/document.xml.rels", doc_rels),
                           ("word/styles.xml", _styles(tpl))):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data.encode("utf-8"))
    return buf.getvalue()


@dataclass
class _Scope:
    counts: dict[str, Any]
    not_done: list[Any]   # CoverageItem: 取数不足 and no verdict of the reviewer
    failed: list[Any]     # CoverageItem: done by hand, 不通过


def _scope(case: Case, tpl: Mapping[str, Any]) -> _Scope:
    """The checks of the catalogue on this case (``core.checks.coverage``), counted for the opinion's scope."""
    from core.checks.coverage import AUTO, FAIL, MANUAL_NOT_APPLICABLE, NOT_APPLICABLE, SHORT, coverage

    items = coverage(case)
    auto = [c for c in items if c.status == AUTO]
    manual = [c for c in items if c.status == SHORT and c.verdict in ("通过", FAIL)]
    na = [c for c in items if c.status == NOT_APPLICABLE or (c.status == SHORT and c.verdict == MANUAL_NOT_APPLICABLE)]
    not_done = [c for c in items if c.is_open]
    absent = [part for c in na if c.why.startswith("材料中没有")
              for part in c.why.split("；")[0][len("材料中没有"):].split("、")]
    reasons = [f"材料中没有{'、'.join(dict.fromkeys(a for a in absent if a))}"] if absent else []
    if len(absent) < len(na):
        reasons.append(str(tpl.get("scope_na_other", "材料中未涉及相应内容")))
    counts = {"total": len(items), "auto": len(auto), "manual": len(manual), "done": len(auto) + len(manual),
              "na": len(na), "open": len(not_done), "na_reasons": "，或".join(reasons) or "无"}
    return _Scope(counts, not_done, [c for c in manual if c.verdict == FAIL])


def opinion_file_name(case: Case, tpl: Mapping[str, Any]) -> str:
    unit = _WIN_BAD.sub("_", _unit(case)).strip().rstrip(". ") or "未命名单位"
    year = _year(case)
    name = _fill(str(tpl.get("file_name", "{unit_name}_{year}_复核意见.docx")), {"unit_name": unit, "year": year})
    if not year:
        name = name.replace("__", "_")
    return name[:180]


def export_review_opinion(
    case: Case,
    out_dir: str | Path,
    *,
    corrections: Iterable[Any] = (),
    decisions: Iterable[Any] = (),
    items: list[ReviewItem] | None = None,
    template: str | Path | None = None,
    now: datetime | None = None,
) -> Path:
    """Write the draft 复核意见 into ``out_dir`` (beside the workbook) atomically and return its path.
    Raises ``OutputError`` (Chinese reason) when it cannot be written."""
    tpl = load_template(template)
    if items is None:
        items = review_items(case, list(corrections), list(decisions))
    paras = opinion_paragraphs(case, items, tpl, now=now)
    data = docx_bytes(paras, tpl, title=paras[0].text, now=now)
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
        target = out / opinion_file_name(case, tpl)
        write_atomic(target, lambda f: f.write(data), overwrite=True)
    except OSError as e:
        raise OutputError(str(out), os_error_reason(e, "复核意见")) from None
    return target
