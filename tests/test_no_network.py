"""No network, ever: the whole job runs with every socket call failing.

In this process the socket module is patched (``socket.socket`` becomes a subclass that refuses to be made,
``create_connection``, ``getaddrinfo`` and the other name look-ups raise), then a package is opened, extracted,
checked, corrected through a ``ReviewSession``, saved as a case file and exported.  For the command line the
same guard is a ``sitecustomize.py`` put first on PYTHONPATH, so it is in force in ``main.py`` and in every
worker process ``batch`` starts; there ``extract``, ``export`` (from the files and from the case file) and
``batch`` must succeed.  Every refused call is also written to a log, so that a call some library tried and
then swallowed the error of still fails the test.

(The window's variant belongs with the window's tests, tests/ui/.)
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ROOT / "tests" / "data" / "packages"

GUARD = textwrap.dedent('''
    """Test guard (tests/test_no_network.py): every socket call fails, and is logged to JIXIAO_NET_LOG."""
    import errno, os, socket

    _LOG = os.environ.get("JIXIAO_NET_LOG", "")
    _Socket = socket.socket


    def _refuse(what, *args):
        if _LOG:
            with open(_LOG, "a", encoding="utf-8") as f:
                f.write(f"{os.getpid()} {what} {args!r}\\n")
        raise OSError(errno.ENETUNREACH, f"network disabled by the test ({what})")


    class NoNetworkSocket(_Socket):
        def __init__(self, *args, **kwargs):
            _refuse("socket", *args)


    def _refuser(what):
        return lambda *args, **kwargs: _refuse(what, *args)


    socket.socket = NoNetworkSocket
    socket.SocketType = NoNetworkSocket
    for _name in ("create_connection", "create_server", "getaddrinfo", "gethostbyname", "gethostbyname_ex",
                  "gethostbyaddr", "getnameinfo", "getfqdn", "socketpair", "fromfd"):
        if hasattr(socket, _name):
            setattr(socket, _name, _refuser(_name))
''')


def _package() -> list[Path]:
    files = sorted((PACKAGES / "yunxi_2024").glob("*.pdf"))
    if not files:
        pytest.skip("fixture package yunxi_2024 not generated")
    return files


@pytest.fixture
def no_network(monkeypatch, tmp_path):
    """The guard in this process; yields the log of refused calls (must stay empty)."""
    log = tmp_path / "network.log"
    monkeypatch.setenv("JIXIAO_NET_LOG", str(log))
    names = ["socket", "SocketType", "create_connection", "create_server", "getaddrinfo", "gethostbyname",
             "gethostbyname_ex", "gethostbyaddr", "getnameinfo", "getfqdn", "socketpair", "fromfd"]
    saved = {n: getattr(socket, n) for n in names if hasattr(socket, n)}
    namespace: dict = {}
    exec(compile(GUARD, "<no-network guard>", "exec"), namespace)  # patches the socket module
    patched = {n: getattr(socket, n) for n in saved}
    for n in saved:  # hand the patches to monkeypatch so they are undone after the test
        setattr(socket, n, saved[n])
        monkeypatch.setattr(socket, n, patched[n])
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", 9))
    with pytest.raises(OSError):
        socket.socket()
    log.unlink()
    yield log


def test_the_guard_refuses_and_logs(no_network):
    with pytest.raises(OSError):
        socket.getaddrinfo("example.org", 443)
    assert "getaddrinfo" in no_network.read_text(encoding="utf-8")
    no_network.unlink()


def test_open_extract_check_correct_save_export_without_network(no_network, tmp_path):
    import openpyxl

    from core.export import export_workbooks
    from core.pipeline import extract_case, recheck
    from core.review.session import ReviewSession

    case = extract_case(_package())
    assert case.fields and case.findings
    session = ReviewSession(case, recheck, reviewer="审核员")
    target = next(f for f in case.fields if f.key == "basic.sangong.final")
    change = session.correct(target.id, str(target.value + 1), reason="断网测试")
    assert change.fields == {target.id}
    saved = session.save(tmp_path / "审核记录" / "云溪.case.json")
    [book] = export_workbooks(session.case, tmp_path / "导出", corrections=session.corrections,
                              decisions=session.decisions, reviewer=session.reviewer)
    assert saved.is_file() and "修改记录" in openpyxl.load_workbook(book).sheetnames
    again = ReviewSession.from_file(saved, recheck)
    assert again.field(target.id).value == target.value
    assert not no_network.exists(), no_network.read_text(encoding="utf-8")


def test_the_command_line_without_network(tmp_path):
    files = _package()
    guard = tmp_path / "guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(GUARD, encoding="utf-8")
    log = tmp_path / "network.log"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(guard), str(ROOT)]), JIXIAO_NET_LOG=str(log),
               PYTHONIOENCODING="utf-8")
    env.pop("DISPLAY", None)

    def run(*args: str) -> subprocess.CompletedProcess:
        r = subprocess.run([sys.executable, str(ROOT / "main.py"), *args], cwd=tmp_path, capture_output=True,
                           text=True, encoding="utf-8", env=env, timeout=300)
        assert "Traceback" not in r.stderr, r.stderr
        assert r.returncode == 0, (args, r.stderr)
        return r

    probe = subprocess.run([sys.executable, "-c", "import socket; socket.create_connection(('127.0.0.1', 9))"],
                           capture_output=True, text=True, env=env, timeout=60)
    assert probe.returncode != 0 and "network disabled by the test" in probe.stderr  # the guard is in force
    log.unlink()

    run("extract", str(files[0]), "-o", str(tmp_path / "case.json"))
    assert json.loads((tmp_path / "case.json").read_text(encoding="utf-8"))["fields"]
    run("export", *map(str, files), "-o", str(tmp_path / "导出"))
    run("export", "--case", str(tmp_path / "case.json"), "-o", str(tmp_path / "从审核记录导出"))
    district = tmp_path / "区县"
    for name in ("yunxi_2024", "split_files_2024"):
        (district / name).mkdir(parents=True)
        for p in sorted((PACKAGES / name).glob("*.pdf")):
            (district / name / p.name).write_bytes(p.read_bytes())
    r = run("batch", str(district), "-o", str(tmp_path / "批量"), "--jobs", "2")
    assert "完成：2个部门成功" in r.stderr
    assert len(list((tmp_path / "批量").rglob("*.xlsx"))) == 3
    assert not log.exists(), log.read_text(encoding="utf-8")
