"""The field catalogue the reviewer picks from when entering a value by hand (``resources/field_catalogue.json``).

Why it exists: on a scanned page nothing is extracted, so the reviewer says *what* a number is by choosing its
key.  The keys, their Chinese labels and units are data, derived from ``../shared/spec/fields.md`` (STYLE.md
§9: declare data, code behaviour); this module only reads it and composes the label a new field gets.

What it must not do: parse values (``core.review.session.parse_entry`` does) or know about Qt widgets.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from core.resources import resource_path

CATALOGUE_FILE = "field_catalogue.json"
SCHEMA = "field-catalogue/1"
REPORT_PREFIX = {"自评报告": "报告：", "决算说明": "决算说明："}
"""How the extractor names narrative fields ("报告：支出合计", "决算说明：“三公”经费决算"); a hand entry is
named the same way, so the two read alike in the field list."""


@dataclass(frozen=True)
class CatalogueEntry:
    """One key the reviewer can enter: ``unit`` is the default, ``units`` / ``forms`` the choices offered
    (a 决算 table is printed in 元 or 万元; a narrative figure may be in the 自评报告 or the 决算说明)."""

    key: str
    label: str
    unit: str
    form: str
    units: tuple[str, ...] = ()
    forms: tuple[str, ...] = ()

    @property
    def unit_choices(self) -> tuple[str, ...]:
        return self.units or (self.unit,)

    @property
    def form_choices(self) -> tuple[str, ...]:
        return self.forms or (self.form,)

    def field_label(self, form: str | None = None) -> str:
        """The label the new field gets, in the form it is printed in."""
        return REPORT_PREFIX.get(form or self.form, "") + self.label if self.key.startswith("report.") \
            else self.label

    def search_text(self) -> str:
        return f"{self.label} {self.key} {self.form} {' '.join(self.forms)}".lower()


@lru_cache(maxsize=1)
def load_catalogue() -> tuple[CatalogueEntry, ...]:
    """Every entry of the catalogue, in the file's order (基础数据表, 自评表, 决算, 报告).  Raises
    ``ValueError`` for a file that is not a catalogue (a broken installation)."""
    data = json.loads(resource_path(CATALOGUE_FILE).read_text(encoding="utf-8"))
    if data.get("schema") != SCHEMA:
        raise ValueError(f"{CATALOGUE_FILE}: not a {SCHEMA} file")
    out = []
    for d in data["fields"]:
        out.append(CatalogueEntry(key=str(d["key"]), label=str(d["label"]), unit=str(d.get("unit", "")),
                                  form=str(d["form"]), units=tuple(d.get("units", ())),
                                  forms=tuple(d.get("forms", ()))))
    return tuple(out)
