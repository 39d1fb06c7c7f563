"""Download every wheel an offline build machine needs into one folder (a "wheelhouse"), on a connected one.

    python packaging/windows/gather_wheels.py                     Windows 10/11 x64, CPython 3.11 -> wheelhouse/
    python packaging/windows/gather_wheels.py --linux-glibc 2.28  glibc 2.28 (UOS 20, Kylin V10)  -> wheelhouse/

Why it exists: the build machines are air-gapped like the reviewers' machines.  This runs where PyPI is
reachable (any OS: pip downloads for the target platform, not its own), takes the pinned runtime set
(requirements.txt) and the pinned build tools (packaging/windows/requirements-build.txt), accepts wheels only
(``--only-binary=:all:``: nothing is compiled on the build machine) and checks that every pin arrived and no
unpinned package slipped in.  It writes SHA256SUMS.txt beside the wheels so the copy carried across the air
gap can be checked (``certutil -hashfile <wheel> SHA256`` on Windows, ``sha256sum -c`` on Linux).

On the build machine:  python -m pip install --no-index --find-links wheelhouse -r requirements.txt
                                                                   -r packaging/windows/requirements-build.txt
"""

from __future__ import annotations

import argparse
import hashlib
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
REQUIREMENTS = [ROOT / "requirements.txt", ROOT / "packaging" / "windows" / "requirements-build.txt"]


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(paths: list[Path]) -> dict[str, str]:
    out: dict[str, str] = {}
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.split("#")[0].strip()
            if not line or line.startswith("-"):
                continue
            name, sep, version = line.partition("==")
            if not sep:
                raise SystemExit(f"{path.name}: '{line}' is not pinned (name==version)")
            out[normalize(name.split("[")[0])] = version.split(";")[0].strip()
    return out


def platforms(args: argparse.Namespace) -> list[str]:
    if not args.linux_glibc:
        return ["win_amd64"]
    major, minor = (int(x) for x in args.linux_glibc.split("."))
    # every manylinux tag a glibc <major>.<minor> x86_64 system accepts, newest first (pip takes the first)
    tags = [f"manylinux_{major}_{m}_x86_64" for m in range(minor, 16, -1)]
    return tags + ["manylinux2014_x86_64", "manylinux2010_x86_64", "manylinux1_x86_64"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dest", type=Path, default=ROOT / "wheelhouse")
    ap.add_argument("--python-version", default="3.11")
    ap.add_argument("--linux-glibc", metavar="2.28",
                    help="wheels for Linux x86_64 with this glibc instead of Windows")
    args = ap.parse_args(argv)
    wanted = pins(REQUIREMENTS)
    args.dest.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "pip", "download", "--disable-pip-version-check", "--only-binary=:all:",
           "--implementation", "cp", "--python-version", args.python_version, "-d", str(args.dest)]
    for tag in platforms(args):
        cmd += ["--platform", tag]
    for req in REQUIREMENTS:
        cmd += ["-r", str(req)]
    print(" ".join(cmd))
    if subprocess.run(cmd).returncode != 0:
        return 1

    wheels = sorted(args.dest.glob("*.whl"))
    got: dict[str, str] = {}
    for w in wheels:
        name, version = w.name.split("-")[:2]
        got[normalize(name)] = version
    missing = {n: v for n, v in wanted.items() if got.get(n) != v}
    extra = sorted(set(got) - set(wanted))
    sums = "".join(f"{hashlib.sha256(w.read_bytes()).hexdigest()}  {w.name}\n" for w in wheels)
    (args.dest / "SHA256SUMS.txt").write_text(sums, encoding="utf-8")
    size = sum(w.stat().st_size for w in wheels) / 1e6
    print(f"{len(wheels)} wheels, {size:.0f} MB in {args.dest} (SHA256SUMS.txt written)")
    for w in wheels:
        print(f"  {w.name}")
    if missing:
        wrong = ", ".join(f"{n}=={v} (got {got.get(n, 'nothing')})" for n, v in missing.items())
        print(f"pinned but not downloaded at that version: {wrong}", file=sys.stderr)
    if extra:
        print(f"downloaded but not pinned (pin them in requirements): {', '.join(extra)}", file=sys.stderr)
    return 1 if missing or extra else 0


if __name__ == "__main__":
    raise SystemExit(main())
