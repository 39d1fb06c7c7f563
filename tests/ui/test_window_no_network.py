"""No network, ever (README): with every way to open a connection or resolve a name made to fail, the window
opens a package, corrects a value and exports the workbook (twice: the second time over the first, after the
overwrite question).  Anything that tried the network would fail loudly here instead of quietly on a bureau's
offline PC."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from conftest import YUNXI

OPEN_TIMEOUT = 60000


class NetworkUsed(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch):
    """Every socket entry point raises; ``tries`` records what was attempted."""
    tries: list[str] = []

    def refuse(name):
        def call(*args, **kwargs):
            tries.append(name)
            raise NetworkUsed(f"network use: socket.{name}{args!r}")

        return call

    for name in ("socket", "create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex",
                 "gethostbyaddr", "create_server", "socketpair", "fromfd"):
        monkeypatch.setattr(socket, name, refuse(name))
    return tries


def test_open_correct_and_export_without_network(qtbot, make_window, prompts, tmp_path, no_network):
    pytest.importorskip("core.export")
    if not YUNXI.exists():
        pytest.skip("fixture package yunxi_2024 not generated")
    with pytest.raises(NetworkUsed):
        socket.create_connection(("example.org", 80))  # the guard is in place
    no_network.clear()

    window = make_window()
    with qtbot.waitSignal(window.case_opened, timeout=OPEN_TIMEOUT):
        window.open_paths([str(YUNXI)])
    session = window.session
    final = session.case.first("basic.sangong.final").id
    with qtbot.waitSignal(window.bridge.saved):
        assert window.correct(final, "1.20", "按决算表更正")
    assert str(session.field(final).value) == "1.20"

    out = tmp_path / "导出"
    prompts.export_folder_answer = str(out)
    with qtbot.waitSignal(window.export_finished, timeout=OPEN_TIMEOUT) as first:
        window.act_export.trigger()
    path, opinion = first.args[0]  # the workbook and, beside it, the draft 复核意见
    assert opinion.endswith("_复核意见.docx") and Path(opinion).parent == Path(path).parent
    assert Path(path).is_file() and Path(path).parent == out
    prompts.confirm_answer = True
    with qtbot.waitSignal(window.export_finished, timeout=OPEN_TIMEOUT):
        window.act_export.trigger()  # the workbook exists: asked, then overwritten
    (confirm,) = prompts.asked("confirm")
    assert confirm[1] == "文件已存在"
    assert not prompts.asked("error")
    assert no_network == []  # nothing so much as tried
