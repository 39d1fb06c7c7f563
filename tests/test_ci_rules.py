"""The CI rules of tests/conftest.py, checked on a throw-away test file run by pytest in a child process: with
CI set a skip for something missing fails the run (an opt-in skip does not), hypothesis draws the same
examples every run; without CI a skip is a skip."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = '''
import pytest
from hypothesis import given, strategies as st

SEEN = []

def test_needs_a_tool():
    pytest.skip("pdftoppm (poppler-utils) is not installed")

def test_opt_in():
    pytest.skip("packaging test: set JIXIAO_PACKAGING_TESTS=1 to build and run the bundle")

@given(st.integers())
def test_draws(n):
    SEEN.append(n)

def test_report_draws():
    print("DRAWS", sum(hash(n) for n in SEEN))
'''


def run_probe(tmp_path: Path, ci: bool) -> subprocess.CompletedProcess:
    probe_dir = tmp_path / "tests"
    probe_dir.mkdir(exist_ok=True)
    (probe_dir / "conftest.py").write_text((ROOT / "tests" / "conftest.py").read_text(encoding="utf-8"),
                                           encoding="utf-8")
    (probe_dir / "test_probe.py").write_text(PROBE, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "HYPOTHESIS_PROFILE")}
    if ci:
        env["CI"] = "true"
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider", "-rs",
                           str(probe_dir / "test_probe.py")], cwd=tmp_path, capture_output=True, text=True,
                          env=env, timeout=120)


def test_in_ci_a_missing_tool_fails_and_an_opt_in_skip_does_not(tmp_path):
    r = run_probe(tmp_path, ci=True)
    assert r.returncode == 1, r.stdout
    assert "1 failed" in r.stdout and "1 skipped" in r.stdout
    assert "CI 中不允许跳过测试" in r.stdout and "pdftoppm" in r.stdout


def test_outside_ci_a_skip_is_a_skip(tmp_path):
    r = run_probe(tmp_path, ci=False)
    assert r.returncode == 0, r.stdout
    assert "2 skipped" in r.stdout


def test_in_ci_hypothesis_draws_the_same_examples_every_run(tmp_path):
    draws = []
    for _ in range(2):
        r = run_probe(tmp_path, ci=True)
        draws.append(next(line for line in r.stdout.splitlines() if "DRAWS" in line))
    assert draws[0] == draws[1]
