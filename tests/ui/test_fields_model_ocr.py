"""A value read by OCR from a scanned page is marked in the field list: "● OCR" in the status column and a line
in the label's tooltip (issue 17); a value from a text layer keeps the plain mark."""

from __future__ import annotations

from core.documents.layout import Document, Page
from core.documents.ocr import mark_fields
from ui.models.fields_model import COL_LABEL, COL_STATUS, FieldsModel


def test_a_value_read_by_ocr_is_marked_in_the_status_column(session):
    fld = next(f for f in session.case.fields if f.key == "basic.sangong.final")
    other = next(f for f in session.case.fields if f.key == "basic.staff.authorized")
    # the page of the first field as if it had been read by OCR: its characters 82% sure
    page = Page(number=fld.page, width=595, height=842, ocr="scan", ocr_conf=[(fld.bbox, 0.82)])
    mark_fields([fld], [Document(id=fld.doc, path="", sha256="", pages=[page])])
    assert fld.attrs["ocr"] is True and fld.confidence == 0.82
    model = FieldsModel(session)
    assert model.index_of(fld.id, COL_STATUS).data() == "● OCR"
    assert model.index_of(other.id, COL_STATUS).data() == "●"
    tip = model.index_of(fld.id, COL_LABEL).data(3)  # ToolTipRole
    assert "文字识别（OCR）" in tip and "82%" in tip
