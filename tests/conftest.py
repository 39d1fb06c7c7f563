"""Shared test fixtures: where the shared material and the generated fixture packages live."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
REAL = SHARED / "real"
PACKAGES = ROOT / "tests" / "data" / "packages"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Qt tests run offscreen everywhere (CI has no display).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The command line finds the window's saved reviews under XDG_DATA_HOME (core.review.store.user_cases_dir):
# tests, and the programs they start, never see the reviews of the person running them.
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="jixiao-tests-data-")


CI = bool(os.environ.get("CI"))

# -- CI: nothing skipped for something missing, reproducible fuzzing, bounded memory ---------------------------

SKIPS_ALLOWED_IN_CI = (
    "JIXIAO_PACKAGING_TESTS",  # the installer tests are opt-in (minutes each, network for the .deb root)
)
"""Skip reasons that are a choice, not something missing.  Any other skip fails the run in CI: .ci/run
installs every system package the tests use, and the fixtures are in the checkout."""


def _skip_reason(report) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2])
    return str(longrepr)


def _fail_skip_in_ci(report) -> None:
    if CI and report.skipped and not hasattr(report, "wasxfail"):
        reason = _skip_reason(report)
        if not any(allowed in reason for allowed in SKIPS_ALLOWED_IN_CI):
            report.outcome = "failed"
            report.longrepr = f"CI 中不允许跳过测试（缺少的软件包或数据应由 .ci/run 安装）：{reason}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    _fail_skip_in_ci(outcome.get_result())


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield
    _fail_skip_in_ci(outcome.get_result())


try:
    from hypothesis import settings as _hypothesis_settings
except ImportError:  # pragma: no cover - hypothesis is in requirements-dev.txt
    _hypothesis_settings = None
if _hypothesis_settings is not None:
    # CI: the same examples every run (derandomize), a failure printed with the blob that reproduces it
    # (@reproduce_failure), no example database; elsewhere random examples, the blob printed too.
    _hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True, database=None, deadline=None)
    _hypothesis_settings.register_profile("dev", print_blob=True, database=None, deadline=None)
    _hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if CI else "dev"))

TEST_MEMORY_LIMIT = int(os.environ.get("JIXIAO_TEST_MEMORY_LIMIT", str(6 << 30)))
"""CI bounds the test process's data (heap and private mappings, RLIMIT_DATA) so that one pathological input
ends as a MemoryError in its test instead of taking the machine; the reading itself is bounded per document by
``core.documents.limits``."""
if CI and TEST_MEMORY_LIMIT > 0:
    try:
        import resource

        _soft, _hard = resource.getrlimit(resource.RLIMIT_DATA)
        if _hard == resource.RLIM_INFINITY or _hard > TEST_MEMORY_LIMIT:
            resource.setrlimit(resource.RLIMIT_DATA, (TEST_MEMORY_LIMIT, _hard))
    except (ImportError, ValueError, OSError):  # not POSIX
        pass


@pytest.fixture(scope="session")
def real_dir() -> Path:
    if not REAL.exists():
        pytest.skip("../shared/real is not beside the checkout")
    return REAL


@pytest.fixture(scope="session")
def packages_dir() -> Path:
    return PACKAGES
