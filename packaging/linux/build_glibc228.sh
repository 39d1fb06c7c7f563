#!/usr/bin/env bash
# Build the bundle and the .deb for UOS 20 / Kylin V10 (glibc 2.28), inside a glibc 2.28 system.
#
#   packaging/linux/build_glibc228.sh [--python-src Python-3.11.x.tar.xz] [--wheelhouse DIR] [--rehearsal]
#
# Why: a bundle runs only on a glibc at least as new as the newest symbol version its files ask for.  The
# wheels are fine (PySide6-Essentials 6.9.3 and shiboken6: manylinux_2_28; cryptography, Pillow: manylinux_2_28
# when pip runs on a 2.28 system; pdfium: 2.17), but the Python interpreter and the system libraries bundled with
# it (libpython3.11, OpenSSL, libffi, liblzma, libxkbcommon ...) are the build machine's own: built on Debian 12
# they need glibc 2.35.  So the build must run where glibc is 2.28 — any of:
#   - a Debian 10 "buster" root (debootstrap buster /srv/buster http://archive.debian.org/debian), chroot into it
#   - a UOS 20 or Kylin V10 machine itself (they are Debian 10 based; use a spare one, not a reviewer's)
#   - an AlmaLinux / Rocky / RHEL 8 machine or container (glibc 2.28; the manylinux_2_28 build image is one)
# and the Python used must be built there, with --enable-shared (PyInstaller needs libpython3.11.so).
#
# What this does, in that system:
#   1. checks glibc is 2.28 or older (--rehearsal: go on anyway, to test the script on a newer system)
#   2. builds CPython 3.11 from a source tarball into /opt/jixiao-build/python3.11 (once; kept), with
#      --enable-shared and an rpath.  Source: --python-src (python.org's Python-3.11.x.tar.xz, carried in), else
#      Debian's python3.11_3.11.2.orig.tar.gz (the upstream tarball) from the Debian mirror, checked by SHA-256
#   3. a venv; pinned wheels from --wheelhouse (gather_wheels.py --linux-glibc 2.28 on a connected machine) or PyPI
#   4. pyinstaller build.spec; glibc_report.py --max 2.28 must pass (not in --rehearsal)
#   5. the smoke test (jixiao-cli extract on Chinese PDFs) and packaging/linux/build_deb.sh
#
# Packages to install first (the script stops with a message when one is missing) — to compile Python, and the libraries Qt's X11 plugin needs, which PyInstaller
# copies into the bundle from the build machine (build.spec refuses to build when one is missing):
#   Debian/UOS/Kylin: build-essential libssl-dev zlib1g-dev libbz2-dev liblzma-dev libffi-dev uuid-dev
#                     dpkg-dev binutils fakeroot xz-utils curl ca-certificates
#                     libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
#                     libxcb-render-util0 libxcb-xkb1 libxcb-randr0 libxcb-shape0 libxcb-xinerama0 libxcb-sync1
#                     libxcb-xfixes0 libxcb-shm0 libxcb-glx0 libglib2.0-0 libfontconfig1 libdbus-1-3 libx11-xcb1
#                     libgl1 libegl1
#                     (all of them are in Debian 10 "buster", libxcb-cursor0 as 0.1.1)
#   RHEL/Alma 8:      gcc make openssl-devel zlib-devel bzip2-devel xz-devel libffi-devel libuuid-devel binutils
#                     dpkg fakeroot (EPEL) libxkbcommon libxkbcommon-x11 xcb-util-cursor (EPEL) xcb-util-wm
#                     xcb-util-image xcb-util-keysyms xcb-util-renderutil libX11-xcb glib2 fontconfig dbus-libs
#                     mesa-libGL mesa-libEGL
# Do not install libreadline-dev / gdbm-devel: GNU readline and gdbm are GPL (build.spec excludes their modules).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PREFIX=${JIXIAO_PYTHON_PREFIX:-/opt/jixiao-build/python3.11}
MIRROR=${JIXIAO_MIRROR:-http://deb.debian.org/debian}
DEBIAN_ORIG=python3.11_3.11.2.orig.tar.gz
DEBIAN_ORIG_SHA256=2411c74bda5bbcfcddaf4531f66d1adc73f247f529aee981b029513aefdbf849
PYTHON_SRC=""
WHEELHOUSE=""
REHEARSAL=0
while [ $# -gt 0 ]; do
    case "$1" in
        --python-src) PYTHON_SRC=$2; shift 2 ;;
        --wheelhouse) WHEELHOUSE=$(cd "$2" && pwd); shift 2 ;;
        --rehearsal) REHEARSAL=1; shift ;;
        -h|--help) awk 'NR > 1 && /^#/ {sub(/^# ?/, ""); print; next} NR > 1 {exit}' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
step() { printf '\n== %s\n' "$*"; }
die() { echo "ERROR: $*" >&2; exit 1; }

step "1. glibc"
GLIBC=$(getconf GNU_LIBC_VERSION | awk '{print $2}')
echo "glibc $GLIBC"
if [ "$(printf '%s\n2.28\n' "$GLIBC" | sort -V | tail -1)" != "2.28" ]; then
    [ "$REHEARSAL" = 1 ] || die "glibc $GLIBC is newer than 2.28: the bundle would not run on UOS 20 / Kylin V10"
    echo "(rehearsal: continuing on glibc $GLIBC; the result will NOT run on glibc 2.28)"
fi
for tool in gcc make objdump strip dpkg-deb xz; do
    command -v "$tool" >/dev/null || die "missing $tool (see the package list at the top of this script)"
done

step "2. CPython 3.11 with --enable-shared in $PREFIX"
if [ ! -x "$PREFIX/bin/python3.11" ]; then
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/jixiao-python.XXXXXX")
    if [ -z "$PYTHON_SRC" ]; then
        PYTHON_SRC=$WORK/$DEBIAN_ORIG
        echo "no --python-src: fetching the upstream 3.11.2 tarball from Debian's archive ($MIRROR)"
        curl -fsSL -o "$PYTHON_SRC" "$MIRROR/pool/main/p/python3.11/$DEBIAN_ORIG" || die "download failed"
        echo "$DEBIAN_ORIG_SHA256  $PYTHON_SRC" | sha256sum -c - || die "checksum mismatch"
    fi
    tar -C "$WORK" -xf "$PYTHON_SRC"
    SRC=$(find "$WORK" -maxdepth 1 -type d -name 'Python-3.11*' | head -1)
    [ -n "$SRC" ] || die "no Python-3.11.* folder in $PYTHON_SRC"
    (cd "$SRC" && ./configure --prefix="$PREFIX" --enable-shared --with-ensurepip=install \
         LDFLAGS="-Wl,-rpath,$PREFIX/lib" >"$WORK/configure.log" 2>&1) || { tail -30 "$WORK/configure.log"; die configure; }
    (cd "$SRC" && make -j"$(nproc)" >"$WORK/make.log" 2>&1) || { tail -30 "$WORK/make.log"; die make; }
    missing=$(grep -A3 "necessary bits to build these optional modules were not found" "$WORK/make.log" | tail -n +2 || true)
    for mod in _ssl _ctypes _lzma _bz2 zlib _uuid; do
        if echo "$missing" | grep -qw "$mod"; then die "Python built without $mod: install its -dev package"; fi
    done
    (cd "$SRC" && make install >"$WORK/install.log" 2>&1) || { tail -30 "$WORK/install.log"; die "make install"; }
    rm -rf "$WORK"
fi
PY="$PREFIX/bin/python3.11"
"$PY" -c 'import ssl, ctypes, lzma, bz2, zlib, uuid, sysconfig; assert sysconfig.get_config_var("Py_ENABLE_SHARED")'
"$PY" --version

step "3. venv with the pinned wheels"
VENV="$ROOT/.venv-glibc228"
[ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
PIP=("$VENV/bin/python" -m pip install --disable-pip-version-check -q --only-binary=:all:)
[ -n "$WHEELHOUSE" ] && PIP+=(--no-index --find-links "$WHEELHOUSE")
"${PIP[@]}" -r "$ROOT/requirements.txt" -r "$ROOT/packaging/windows/requirements-build.txt"
"$VENV/bin/python" -m pip list --disable-pip-version-check --format=freeze | grep -iE 'pyside6|shiboken|cryptography|pillow|pypdfium2|pyinstaller=' || true

step "4. pyinstaller build.spec"
(cd "$ROOT" && "$VENV/bin/python" -m PyInstaller --noconfirm --clean --log-level WARN build.spec)
BUNDLE="$ROOT/dist/jixiao-review"
if [ "$REHEARSAL" = 1 ]; then
    "$VENV/bin/python" "$ROOT/packaging/glibc_report.py" "$BUNDLE" || true
else
    "$VENV/bin/python" "$ROOT/packaging/glibc_report.py" "$BUNDLE" --max 2.28 || die "a file needs glibc > 2.28"
fi

step "5. smoke test and .deb"
OUT=$(mktemp -d "${TMPDIR:-/tmp}/jixiao-smoke.XXXXXX")
"$BUNDLE/jixiao-cli" --version
"$BUNDLE/jixiao-cli" extract "$ROOT/tests/data/packages/yunxi_2024" -o "$OUT/yunxi.json"
"$BUNDLE/jixiao-cli" extract "$ROOT/tests/packaging/data/cid_font_package" -o "$OUT/cid.json"
"$VENV/bin/python" "$ROOT/packaging/check_extract.py" --min 20 "$OUT/yunxi.json" "$OUT/cid.json"
rm -rf "$OUT"
PYTHON="$VENV/bin/python" "$ROOT/packaging/linux/build_deb.sh" --bundle "$BUNDLE" --out "$ROOT/dist"
