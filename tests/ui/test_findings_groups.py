"""The 检查 column of the findings list: a check's findings are grouped, the first row of a group names the
check with the group's size (kept in view when the name is cut), and no row's 检查 cell is empty."""

from __future__ import annotations

import copy

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QStyleOptionViewItem

from ui import style
from ui.models.common import CHECK_ROLE
from ui.models.findings_model import COL_CHECK, FindingsModel
from ui.widgets.findings_panel import FindingsPanel


def _texts(panel, width):
    """What the 检查 column paints on each row shown, in a column ``width`` pixels wide."""
    view = panel.table
    delegate = view.itemDelegateForColumn(COL_CHECK)
    out = []
    for row in range(panel.proxy.rowCount()):
        index = panel.proxy.index(row, COL_CHECK)
        option = QStyleOptionViewItem()
        option.initFrom(view)
        option.rect = QRect(0, 0, width, 24)
        delegate.initStyleOption(option, index)
        out.append((index.data(CHECK_ROLE), option.text, option.palette.text().color()))
    return out


def test_every_row_names_its_check_and_a_group_says_how_many(qtbot, yunxi_case):
    from core.pipeline import recheck
    from core.review import ReviewSession

    case = copy.deepcopy(yunxi_case)
    recheck(case)
    session = ReviewSession(case, recheck, reviewer="测试员")
    names = {"selfeval.level1_weights": "自评表每个一级指标的分值和得分与自评报告一致"}
    panel = FindingsPanel()
    qtbot.addWidget(panel)
    panel.set_model(FindingsModel(session, names))
    rows = _texts(panel, 138)
    assert all(text.strip() for _, text, _ in rows)  # no blank 检查 cell
    group = [i for i, (check, _, _) in enumerate(rows) if check == "selfeval.level1_weights"]
    errors = [i for i in group if panel.proxy.index(i, 0).data() == "错误"]
    assert len(errors) >= 2 and errors == list(range(errors[0], errors[0] + len(errors)))
    first, rest = rows[errors[0]], [rows[i] for i in errors[1:]]
    # the first row: the name cut to the column, the size of this group (the errors, not the warning) in view
    assert first[1].endswith(f"（{len(errors)}条）") and first[1].startswith("自评表每")
    assert first[2] != style.MUTED
    # the rows below: the check's name again, in grey
    assert all(text == names["selfeval.level1_weights"] and colour == style.MUTED for _, text, colour in rest)
    # wide enough, the whole name and the count
    assert _texts(panel, 600)[errors[0]][1] == names["selfeval.level1_weights"] + f"（{len(errors)}条）"
    # a check with one finding is named without a count
    single = [text for check, text, _ in rows if sum(c == check for c, _, _ in rows) == 1]
    assert single and not any(t.endswith("条）") for t in single)


def test_the_decision_column_shows_every_status_whole(qtbot, yunxi_case):
    """处理 shows the decision with its icon; "确认问题" was cut to "确认…" in a 74-pixel column."""
    from core.pipeline import recheck
    from core.review import ReviewSession
    from core.review.corrections import CONFIRMED, EXCLUDED
    from ui.models.findings_model import COL_STATUS

    case = copy.deepcopy(yunxi_case)
    recheck(case)
    session = ReviewSession(case, recheck, reviewer="测试员")
    session.decide(case.findings[0].fingerprint, CONFIRMED, "核实")
    panel = FindingsPanel()
    qtbot.addWidget(panel)
    panel.set_model(FindingsModel(session))
    view = panel.table
    fm = view.fontMetrics()
    icon = view.iconSize().width() if view.iconSize().width() > 0 else 16
    for text in (CONFIRMED, EXCLUDED, style.STATUS_OPEN):
        assert view.columnWidth(COL_STATUS) >= fm.horizontalAdvance(text) + icon + 12
