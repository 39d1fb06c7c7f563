"""A kill -9 in the middle of a save leaves the previous case file intact — tested for real.

A child process (``sys.executable``) opens a large case (4000 fields, about 1 MB of JSON), autosaves it after
every correction in a tight loop and is SIGKILLed, several times, each run resuming from the file the last one
left.  After every kill the file must parse and be, byte for byte, one of the complete versions: the case
with exactly k corrections, rebuilt here in the parent from scratch.  Most kills land at random moments; in
some runs the child announces that it is inside ``fsync`` of the temporary file (the new version fully
written, not yet renamed) and is killed right there, so the test does not rely on luck to hit a save.
"""

from __future__ import annotations

import importlib.util
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.review import store
from core.review.session import ReviewSession

ROOT = Path(__file__).resolve().parents[3]

CHILD = r'''
import os
import stat
import sys
import time
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from core.model import Case, DocumentInfo, Field, Finding, Severity, SourceRef
from core.review import store
from core.review.session import ReviewSession

N_FIELDS = 4000


def clock():
    return datetime(2025, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=8)))


def recheck(case):
    f1 = case.field_by_id("f1")
    case.findings[:] = [Finding("x.version", Severity.INFO, f"第{f1.value}版", [f1.key], [f1.value], [f1.source])]
    case.scores = {"version": f1.value}


def fresh():
    fields = [
        Field(f"basic.k{i}", Decimal(i) / 100, "万元", str(Decimal(i) / 100),
              SourceRef("d1", 1 + i % 40, (10.5, 20.25 + i % 700, 80.0, 32.25 + i % 700)),
              label=f"第{i}项经费", id=f"f{i + 1}")
        for i in range(N_FIELDS)
    ]
    case = Case(documents=[DocumentInfo("d1", "/pkg/云溪区委组织部.pdf", "0" * 64, 40)], fields=fields)
    recheck(case)
    return ReviewSession(case, recheck, "审核员", clock=clock)


def announce_fsync():
    """Say "fsync" when the temporary case file is being fsynced, then take a while (a slow disk)."""
    real = os.fsync

    def slow(fd):
        if stat.S_ISREG(os.fstat(fd).st_mode):
            sys.stdout.write("fsync\n")
            sys.stdout.flush()
            time.sleep(2)
        real(fd)

    os.fsync = slow


if __name__ == "__main__":
    path = sys.argv[1]
    session = ReviewSession.from_file(path, recheck, clock=clock) if os.path.exists(path) else fresh()
    store.AutoSaver(session, path)
    if os.environ.get("ANNOUNCE_FSYNC"):
        announce_fsync()
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    while True:
        session.correct("f1", str(len(session.corrections) + 1))
'''


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_kill_9_during_saves_always_leaves_a_complete_version(tmp_path):
    child = tmp_path / "saver_child.py"
    child.write_text(CHILD, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("saver_child", child)
    model = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(model)  # the same builder the child uses, to rebuild each version here

    folder = tmp_path / "store"
    folder.mkdir()
    path = folder / "case.case.json"
    reference = model.fresh()
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    versions: list[int] = []
    mid_save_kills = 0

    def expected(k: int) -> str:
        while len(reference.corrections) < k:
            reference.correct("f1", str(len(reference.corrections) + 1))
        return store.case_text(reference)

    for run in range(8):
        announce = run % 3 == 2
        temps_before = set(folder.glob(".*.tmp"))
        proc = subprocess.Popen([sys.executable, str(child), str(path)], cwd=ROOT, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env={**env, "ANNOUNCE_FSYNC": "1"} if announce else env)
        try:
            ready = proc.stdout.readline()
            assert ready == b"ready\n", proc.stderr.read().decode("utf-8", "replace")
            if announce:
                assert proc.stdout.readline() == b"fsync\n"  # inside the save of the next version
            else:
                time.sleep(rng.uniform(0.05, 0.8))  # the randomness is the point here, not a wait for an event
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        assert proc.returncode == -signal.SIGKILL

        if set(folder.glob(".*.tmp")) - temps_before:
            mid_save_kills += 1  # a temporary file was left: the kill landed inside a save
        text = path.read_text(encoding="utf-8")
        d = json.loads(text)  # always parses
        k = len(d["review"]["corrections"])
        assert k >= (versions[-1] if versions else 0), f"seed {seed}: went back to version {k}"
        reference.logs.review_id = d["review"]["id"]  # each new review gets its own random id
        assert text == expected(k), f"seed {seed}: run {run} left something other than version {k}"
        versions.append(k)

    assert mid_save_kills >= 2, f"seed {seed}: {mid_save_kills} kills inside a save"
    assert versions[-1] > versions[0], f"seed {seed}: no progress {versions}"
    # the file the kills left behind opens as a session like any other
    again = ReviewSession.from_file(path, model.recheck, clock=model.clock)
    assert str(again.case.field_by_id("f1").value) == str(versions[-1] or "0")
