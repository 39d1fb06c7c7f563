"""The .deb installs, runs headless and purges cleanly in a clean Debian root.

A pytest wrapper around packaging/test_deb_in_chroot.sh (the script anyone can run by hand).  Slow: skipped
unless JIXIAO_PACKAGING_TESTS=1; needs Linux, root, dpkg-deb and debootstrap, and network to the Debian mirror
the first time (the minimal root is then kept as a tarball in /var/tmp/jixiao-chroot).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Debian package"),
]


def test_deb_installs_runs_and_purges_in_a_clean_debian_root(bundle, tmp_path):
    if os.geteuid() != 0:
        pytest.skip("needs root (debootstrap, chroot)")
    for tool in ("dpkg-deb", "debootstrap", "chroot"):
        if not shutil.which(tool):
            pytest.skip(f"needs {tool} (apt-get install -y debootstrap)")
    env = {**os.environ, "PYTHON": sys.executable}
    built = subprocess.run([str(ROOT / "packaging/linux/build_deb.sh"), "--bundle", str(bundle), "--out",
                            str(tmp_path)], capture_output=True, text=True, env=env)
    assert built.returncode == 0, built.stderr
    debs = list(tmp_path.glob("*.deb"))
    assert len(debs) == 1
    r = subprocess.run([str(ROOT / "packaging/test_deb_in_chroot.sh"), str(debs[0])], capture_output=True,
                       text=True, env=env, timeout=1800)
    assert r.returncode == 0, f"{r.stdout[-4000:]}\n{r.stderr[-3000:]}"
    assert "PASS" in r.stdout
