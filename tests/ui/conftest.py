"""Fixtures for the window's tests: offscreen Qt, isolated settings and case folder, a deterministic check.

Qt runs offscreen (set before Qt is imported).  Every test gets its own QSettings file and case folder, so no
test sees another's reviewer name, recent list or case files.  ``toy_recheck`` is a single, explained rule so
that "this correction makes a finding appear" does not depend on the evolving check catalogue; one test per
area also runs the real ``core.pipeline.recheck``.
"""

from __future__ import annotations

import copy
import os
from decimal import Decimal
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"

import pytest  # noqa: E402
from PySide6.QtCore import QSettings, QStandardPaths  # noqa: E402

from core.model import Finding, Severity  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
REAL_PDF = ROOT.parent / "shared" / "real" / "shanghai_putuo_shehuigongzuobu_2024_bumen_juesuan.pdf"
PACKAGES = ROOT / "tests" / "data" / "packages"
YUNXI = PACKAGES / "yunxi_2024"

QStandardPaths.setTestModeEnabled(True)

# The offscreen platform has no window manager: it cannot pass a top-level window's size hints on show() or
# raise a tooltip, and says so each time.  That is the test platform talking, not the window; every other
# warning still fails a test.
OFFSCREEN_NOISE = r"^This plugin does not support (propagateSizeHints|raise)\(\)$"


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


def toy_recheck(case) -> None:
    """Two rules, for the tests only.

    - error: 三公经费 本年决算数 must not exceed 本年预算数 (yunxi prints 0.96 ≤ 1.8: no finding until a
      test corrects the 决算数 upwards);
    - warning: a 控制率 of 100% or more is worth a look (yunxi prints 100.00%: one warning from the start).
    """
    findings = []
    final, budget = case.first("basic.sangong.final"), case.first("basic.sangong.budget")
    if final is not None and budget is not None and isinstance(final.value, Decimal) \
            and isinstance(budget.value, Decimal) and final.value > budget.value:
        findings.append(Finding("toy.sangong_over_budget", Severity.ERROR,
                                f"三公经费本年决算数{final.value}万元超过本年预算数{budget.value}万元",
                                keys=[final.key, budget.key], values=[final.value, budget.value],
                                locations=[final.source, budget.source]))
    rate = case.first("basic.staff.control_rate")
    if rate is not None and isinstance(rate.value, Decimal) and rate.value >= 100:
        findings.append(Finding("toy.control_rate", Severity.WARNING, f"控制率为{rate.value}%，请核实",
                                keys=[rate.key], values=[rate.value], locations=[rate.source]))
    case.findings = findings


@pytest.fixture(scope="session")
def yunxi_case():
    """The yunxi fixture package, extracted once (checks not run: each test applies its own)."""
    if not YUNXI.exists():
        pytest.skip("fixture package yunxi_2024 not generated")
    from core.pipeline import build_case, collect_inputs, read_package

    files, _ = collect_inputs([YUNXI])
    return build_case(read_package(files))


@pytest.fixture
def session(yunxi_case):
    """A fresh review of yunxi under ``toy_recheck``."""
    from core.review import ReviewSession

    case = copy.deepcopy(yunxi_case)
    toy_recheck(case)
    return ReviewSession(case, toy_recheck, reviewer="测试员")


@pytest.fixture
def real_pdf() -> Path:
    if not REAL_PDF.exists():
        pytest.skip("../shared/real is not beside the checkout")
    return REAL_PDF


@pytest.fixture
def settings(tmp_path):
    from ui.settings import Settings

    s = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    s.reviewer = "测试员"
    s.reviewer_asked = True
    return s


class FakePrompts:
    """Answers the window's modal questions without a dialog, and records what was asked."""

    def __init__(self) -> None:
        self.calls: list[tuple] = []
        self.password_answer: str | None = None
        self.reason_answer: str | None = "测试理由"
        self.confirm_answer = True
        self.preferences_answer: tuple[str, str] | None = None
        self.export_folder_answer = ""
        self.save_as_answer = ""
        self.files_answer: list[str] = []
        self.folder_answer = ""
        self.manual_entry_answer = None  # a ui.dialogs.manual_entry.ManualEntry, or None (cancelled)
        self.workspace_answer = ""
        self.add_folder_answer = ""

    def asked(self, kind: str) -> list[tuple]:
        return [c for c in self.calls if c[0] == kind]

    def password(self, path, wrong=False):
        self.calls.append(("password", path, wrong))
        return self.password_answer

    def reason(self, title, message, *, required=False, reason="", completions=None):
        self.calls.append(("reason", title, message, required))
        return self.reason_answer

    def preferences(self, reviewer, export_dir, *, first_time=False, rules=(), disabled=frozenset(), caps=(),
                    caps_preset=None, district_file=""):
        self.calls.append(("preferences", reviewer, first_time))
        self.preferences_district_file = district_file
        self.preferences_rules = (list(rules), frozenset(disabled))
        self.preferences_caps = (list(caps), caps_preset)
        return self.preferences_answer

    def confirm(self, title, text, yes="是", no="否"):
        self.calls.append(("confirm", title, text))
        return self.confirm_answer

    def error(self, title, text, details=""):
        self.calls.append(("error", title, text, details))

    def info(self, title, text):
        self.calls.append(("info", title, text))

    def open_files(self, start):
        return self.files_answer

    def open_folder(self, start):
        return self.folder_answer

    def export_folder(self, start):
        self.calls.append(("export_folder", start))
        return self.export_folder_answer

    def manual_entry(self, entries, place, *, present=frozenset(), key="", reasons=None):
        self.calls.append(("manual_entry", place, key))
        return self.manual_entry_answer

    def open_workspace(self, start):
        self.calls.append(("open_workspace", start))
        return self.workspace_answer

    def add_folder(self, start):
        self.calls.append(("add_folder", start))
        return self.add_folder_answer

    def save_case_as(self, start):
        self.calls.append(("save_case_as", start))
        return self.save_as_answer


@pytest.fixture
def prompts():
    return FakePrompts()


@pytest.fixture
def make_window(qtbot, tmp_path, settings, prompts):
    """``make_window(recheck=toy_recheck)`` → a shown MainWindow on an isolated case folder; closed (its
    threads stopped) at the end of the test."""
    from ui.main_window import MainWindow

    windows = []

    def make(recheck=toy_recheck, store_dir=None):
        w = MainWindow(settings, recheck=recheck, store_dir=store_dir or tmp_path / "cases", prompts=prompts)
        qtbot.addWidget(w)
        w.resize(1400, 900)
        w.show()
        windows.append(w)
        return w

    yield make
    for w in windows:
        w.close()
