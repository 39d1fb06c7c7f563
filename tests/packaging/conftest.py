"""Fixtures of the packaging tests: the built bundle, and the switch that keeps the heavy ones out of CI.

Building the bundle (PyInstaller, ~1 min) and the .deb test in a clean Debian root (debootstrap the first
time, several minutes) are too heavy for every CI run (CI must stay under 90 minutes), so every test marked
``slow`` here is skipped unless ``JIXIAO_PACKAGING_TESTS=1``.  ``JIXIAO_BUNDLE=dist/jixiao-review`` reuses a bundle
already built instead of building one into a temporary folder.

    JIXIAO_PACKAGING_TESTS=1 python3 -m pytest tests/packaging -q
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
NAME = PROJECT["name"]
VERSION = PROJECT["version"]
EXE = ".exe" if sys.platform == "win32" else ""
ENABLED = os.environ.get("JIXIAO_PACKAGING_TESTS", "") == "1"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers",
                            "slow: builds or installs the packaged program (JIXIAO_PACKAGING_TESTS=1)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if ENABLED:
        return
    skip = pytest.mark.skip(reason="packaging test: set JIXIAO_PACKAGING_TESTS=1 to build and run the bundle")
    for item in items:
        if "slow" in item.keywords and Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The one-folder bundle: $JIXIAO_BUNDLE, or built now from build.spec into a temporary folder."""
    given = os.environ.get("JIXIAO_BUNDLE")
    if given:
        path = Path(given).resolve()
        if not (path / f"jixiao-cli{EXE}").exists():
            pytest.fail(f"JIXIAO_BUNDLE={given} holds no jixiao-cli{EXE}")
        return path
    out = tmp_path_factory.mktemp("pyinstaller")
    r = subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
                        "--distpath", str(out / "dist"), "--workpath", str(out / "build"),
                        str(ROOT / "build.spec")],
                       cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, f"pyinstaller build.spec failed:\n{r.stderr[-4000:]}"
    return out / "dist" / NAME


@pytest.fixture(scope="session")
def cli(bundle: Path):
    """Run the bundle's jixiao-cli with a clean, Chinese-capable environment; returns CompletedProcess."""

    def run(*args: str, timeout: float = 180) -> subprocess.CompletedProcess:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "QT_", "LD_"))}
        return subprocess.run([str(bundle / f"jixiao-cli{EXE}"), *args], capture_output=True, text=True,
                              encoding="utf-8", errors="replace", env=env, timeout=timeout)

    return run
