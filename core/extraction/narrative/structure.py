"""Narrative extraction — headings, titles, template text, grades and text slips: what the narrative says about
its own shape."""

from __future__ import annotations

import re
from decimal import Decimal

from core.extraction.narrative.grammar import _FAMILY_STYLE, _GRADE, _YEAR_ACCOUNTS, _YEAR_TITLE, _Heading
from core.extraction.narrative.lexicon import _anomaly_rules
from core.model import Field, SourceRef


class _TextMixin:
    """Headings, titles, template text, grades and text slips: what the narrative says about its own shape.

    A part of ``_Extractor`` (extractor.py): it reads and sets the extractor's state through ``self``."""

    def _anomalies(self) -> list[Field]:
        """Text-level slips ("2024度", "为00多名"): patterns in resources/narrative_labels.json."""
        out: list[Field] = []
        for rule in _anomaly_rules():
            for m in rule[1].finditer(self.stream.text):
                page, bbox = self.stream.span(m.start(), m.end())
                raw = m.group(0)
                f = Field(key="report.anomaly", value=raw, unit="", raw=raw, source=SourceRef(self.doc, page, bbox),
                          label="文字问题", confidence=0.8, form=self.form,
                          attrs={"kind": rule[0], "message": rule[2].format(raw=raw), "_pos": m.start(),
                                 "sentence": self._sentence_at(m.start())})
                out.append(f)
        return out

    def _sentence_at(self, pos: int) -> str:
        text = self.stream.text
        a = max(text.rfind(ch, 0, pos) for ch in "。；;\n") + 1
        ends = [i for i in (text.find(ch, pos) for ch in "。；;\n") if i >= 0]
        return text[a:min(ends) + 1 if ends else len(text)].strip()[:200]

    def _section(self) -> str:
        return "/".join((h.marker + h.title[:20]).strip() for h in self.stack)

    def _push_heading(self, h: _Heading) -> None:
        if h.family in ("part", "annex", "toc"):
            self.stack = [h]
        else:
            same = [i for i in range(len(self.stack) - 1, -1, -1) if self.stack[i].family == h.family]
            idx = next((i for i in same if self.stack[i].number == h.number - 1), same[0] if same else None)
            nested = idx is not None and h.number == 1 and self.stack[-1].family != h.family
            if idx is not None and not nested:
                self.stack = self.stack[:idx] + [h]
            else:
                self.stack.append(h)
        h.depth = len(self.stack)
        h.seq = len(self.headings)
        self.headings.append(h)

    def _heading_bodies(self, paras: list[tuple[int, int]]) -> None:
        """Each heading's body: its paragraph after the title, then paragraphs up to the next heading of
        the same or a higher level."""
        by_para = {h.para: h for h in self.headings}
        for h in self.headings:
            parts = []
            own = self.text[h.marker_end:h.end]
            cut = re.search(r"[。:：]", own)
            if cut and cut.end() < len(own):
                parts.append(own[cut.end():])
            for pj in range(h.para + 1, len(paras)):
                nh = by_para.get(pj)
                if nh is not None and (nh.depth <= h.depth or nh.family in ("part", "annex", "toc")):
                    break
                a, b = paras[pj]
                parts.append(self.text[a:b])
            h.body = "\n".join(p.strip() for p in parts if p.strip())

    def _heading_fields(self) -> list[Field]:
        out = []
        for h in self.headings:
            body = h.body
            page, bbox = self.stream.span(h.start, h.marker_end)
            attrs = {
                "family": h.family,
                "style": _FAMILY_STYLE.get(h.family, ""),
                "number": h.number,
                "depth": h.depth,
                "seq": h.seq,
                "title": h.title[:60],
                "body": body[:80],
                "body_len": len(re.sub(r"\s", "", body)),
                "section": self._section_of(h),
                "_pos": h.start,
            }
            out.append(Field(
                key="report.heading",
                value=Decimal(h.number),
                unit="",
                raw=h.marker.strip(),
                source=SourceRef(self.doc, page, bbox),
                label=f"{self.prefix}：标题“{h.marker.strip()}{h.title[:20]}”",
                confidence=0.9,
                form=self.form,
                attrs=attrs,
            ))
        return out

    def _section_of(self, h: _Heading) -> str:
        return h.section

    def _titles(self, a: int, b: int, *, is_heading: bool) -> None:
        text = self.text
        para = text[a:b].strip()
        short = ((b - a) <= 60 and "。" not in para) or is_heading
        seen = set()
        rxs = [_YEAR_ACCOUNTS] + ([_YEAR_TITLE] if short else [])
        for rx in rxs:
            for m in rx.finditer(text, a, b):
                if m.start(1) in seen:
                    continue
                seen.add(m.start(1))
                page, bbox = self.stream.span(m.start(1), m.end(1))
                self.extra.append(Field(
                    key="report.year",
                    value=Decimal(m.group(1)),
                    unit="年",
                    raw=text[m.start():m.end()],
                    source=SourceRef(self.doc, page, bbox),
                    label=f"{self.prefix}：年度（{text[m.start():m.end()][:24]}）",
                    confidence=0.8,
                    form=self.form,
                    attrs={"role": "title", "sentence": text[a:b][:200], "section": self._section(),
                           "year": int(m.group(1)), "_pos": m.start(1)},
                ))

    def _placeholders(self, a: int, b: int) -> None:
        """Template instructions left in a paragraph: one statement per paragraph, the phrases listed."""
        text = self.text
        hits = []
        for rx in self.lex.placeholders:
            for m in rx.finditer(text, a, b):
                hits.append((m.start(), m.end()))
        hits = [h for h in hits if not any(o != h and o[0] <= h[0] and h[1] <= o[1] for o in hits)]
        if not hits:
            return
        hits.sort()
        s, e = hits[0]
        page, bbox = self.stream.span(s, e)
        phrases = "、".join(dict.fromkeys(text[x:y] for x, y in hits))
        self.extra.append(Field(
            key="report.placeholder",
            value=phrases,
            unit="",
            raw=text[s:e],
            source=SourceRef(self.doc, page, bbox),
            label=f"{self.prefix}：模板提示语",
            confidence=0.9,
            form=self.form,
            attrs={"sentence": text[a:b].strip()[:300], "section": self._section(), "_pos": s},
        ))

    def _grade(self, a: int, b: int) -> None:
        text = self.text
        for m in _GRADE.finditer(text, a, b):
            page, bbox = self.stream.span(m.start("g"), m.end("g"))
            self.extra.append(Field(
                key="report.grade",
                value=m.group("g"),
                unit="",
                raw=m.group("g"),
                source=SourceRef(self.doc, page, bbox),
                label=f"{self.prefix}：评价等次",
                confidence=0.85,
                form=self.form,
                attrs={"sentence": text[a:b][:200], "section": self._section(), "_pos": m.start("g")},
            ))
