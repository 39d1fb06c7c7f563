"""Which glibc (and libstdc++) a built bundle needs, and which system libraries it expects to find.

    python3 packaging/glibc_report.py [dist/jixiao-review] [--max 2.28] [--json] [--top 15]

Why it exists: a Linux bundle runs only where the C library is at least as new as the newest symbol version
any of its ELF files asks for.  UOS 20 and Kylin V10 have glibc 2.28; a bundle built on Debian 12 (glibc 2.36)
asks for more.  This reads every ELF file's dynamic symbol table (``objdump -T``), takes the highest
``GLIBC_x.y`` / ``GLIBCXX_x.y.z`` / ``CXXABI_x.y`` version each one references, and prints the overall maxima,
the files above ``--max``, and the libraries (``NEEDED``) that are not in the bundle — the target system must
provide those (see LEAVE_TO_SYSTEM in build.spec and Recommends in the .deb).

Exit status: 0, or 1 when ``--max`` is given and some file needs a newer glibc.  Linux only (needs objdump).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

VERSIONED = re.compile(r"\b(GLIBC|GLIBCXX|CXXABI)_(\d+(?:\.\d+)*)\b")
NEEDED = re.compile(r"^\s*NEEDED\s+(\S+)", re.M)
# always provided by glibc itself (never bundled: PyInstaller excludes them)
GLIBC_LIBS = re.compile(r"^(libc|libm|libdl|libpthread|librt|libutil|libresolv|libcrypt|libnsl|"
                        r"ld-linux-x86-64)\.so(\.\d+)*$")


def vkey(version: str) -> tuple[int, ...]:
    return tuple(int(x) for x in version.split("."))


def is_elf(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            return f.read(4) == b"\x7fELF"
    except OSError:
        return False


def symbol_versions(text: str) -> dict[str, str]:
    """The highest version per family (GLIBC, GLIBCXX, CXXABI) referenced in ``objdump -T`` output.
    Definitions a library exports under its own version node are references too, which only matters for
    libstdc++ and glibc themselves, and neither is bundled."""
    best: dict[str, str] = {}
    for family, version in VERSIONED.findall(text):
        if family not in best or vkey(version) > vkey(best[family]):
            best[family] = version
    return best


def scan(bundle: Path) -> list[dict]:
    rows = []
    for path in sorted(bundle.rglob("*")):
        if path.is_symlink() or not path.is_file() or not is_elf(path):
            continue
        dyn = subprocess.run(["objdump", "-T", str(path)], capture_output=True, text=True).stdout
        head = subprocess.run(["objdump", "-p", str(path)], capture_output=True, text=True).stdout
        rows.append({"file": str(path.relative_to(bundle)), "versions": symbol_versions(dyn),
                     "needed": NEEDED.findall(head)})
    return rows


def report(rows: list[dict], bundle: Path) -> dict:
    present = {p.name for p in bundle.rglob("*")}
    overall: dict[str, str] = {}
    for r in rows:
        for fam, v in r["versions"].items():
            if fam not in overall or vkey(v) > vkey(overall[fam]):
                overall[fam] = v
    external = sorted({n for r in rows for n in r["needed"] if n not in present and not GLIBC_LIBS.match(n)})
    return {"bundle": str(bundle), "files": len(rows), "max": overall, "system_libraries": external,
            "rows": rows}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("bundle", nargs="?", default="dist/jixiao-review", type=Path)
    ap.add_argument("--max", help="fail when a file needs a glibc newer than this (e.g. 2.28)")
    ap.add_argument("--top", type=int, default=15, help="how many of the most demanding files to list")
    ap.add_argument("--json", action="store_true", help="print the whole report as JSON")
    args = ap.parse_args(argv)
    if not args.bundle.is_dir():
        ap.error(f"{args.bundle} is not a folder (build it first: pyinstaller build.spec)")
    rep = report(scan(args.bundle), args.bundle)
    too_new = [r for r in rep["rows"] if args.max and "GLIBC" in r["versions"]
               and vkey(r["versions"]["GLIBC"]) > vkey(args.max)]
    if args.json:
        json.dump(rep | {"too_new": [r["file"] for r in too_new]}, sys.stdout, indent=1)
        print()
    else:
        m = rep["max"]
        print(f"{rep['files']} ELF files in {args.bundle}")
        print(f"needs glibc >= {m.get('GLIBC', '?')}; libstdc++ GLIBCXX_{m.get('GLIBCXX', '-')}, "
              f"CXXABI_{m.get('CXXABI', '-')} (libstdc++ comes from the system)")
        ranked = sorted((r for r in rep["rows"] if "GLIBC" in r["versions"]),
                        key=lambda r: vkey(r["versions"]["GLIBC"]), reverse=True)
        print("most demanding files (GLIBC):")
        for r in ranked[:args.top]:
            extra = f"  GLIBCXX_{r['versions']['GLIBCXX']}" if "GLIBCXX" in r["versions"] else ""
            print(f"  {r['versions']['GLIBC']:>6}  {r['file']}{extra}")
        print("system libraries the bundle expects (not bundled, not glibc):")
        print("  " + (" ".join(rep["system_libraries"]) or "(none)"))
        if args.max:
            print(f"{len(too_new)} files need a glibc newer than {args.max}" if too_new
                  else f"every file runs on glibc {args.max}")
    return 1 if too_new else 0


if __name__ == "__main__":
    if not sys.platform.startswith("linux") and not os.environ.get("JIXIAO_FORCE"):
        raise SystemExit("glibc_report.py reads Linux ELF files with objdump: run it on the Linux build")
    raise SystemExit(main())
