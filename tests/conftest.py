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


@pytest.fixture(scope="session")
def real_dir() -> Path:
    if not REAL.exists():
        pytest.skip("../shared/real is not beside the checkout")
    return REAL


@pytest.fixture(scope="session")
def packages_dir() -> Path:
    return PACKAGES
