#!/usr/bin/env bash
# Install the .deb in a clean Debian root, run the installed program headless, remove it, check nothing is left.
#
#   sudo packaging/test_deb_in_chroot.sh [dist/jixiao-review_<version>_amd64.deb]
#
# Needs root, debootstrap (apt-get install debootstrap), python3 on the host (to judge the JSON: the clean root
# has no Python — the bundle brings its own).  Steps:
#   1. a minimal Debian root (debootstrap --variant=minbase; made once and kept as a tarball, every run starts
#      from a fresh copy of it)
#   2. dpkg -i the package (must succeed with nothing but the minimal root: Depends are libc6/libgcc/libstdc++)
#   3. jixiao-cli --version; extract on the 云溪 package, on the real 普陀 决算 when ../shared/real is there, and on
#      the non-embedded-font package (pdfminer CMaps); export to Excel
#   4. at least 20 fields with Chinese labels per extract (packaging/check_extract.py)
#   5. lists the desktop libraries the window would need that a minimal root lacks (information, not failure)
#   6. dpkg --purge, then the root's file list must equal the one before the install
#   7. the window: apt-get installs the package's Recommends (the desktop libraries) from the mirror, the
#      package goes in again, every Qt library and plugin must resolve, and jixiao-review must start and keep
#      running on Qt's offscreen platform (skip with JIXIAO_GUI_CHECK=0, e.g. without network)
#
# Environment: JIXIAO_SUITE (bookworm), JIXIAO_MIRROR (the machine's Debian mirror from /etc/apt/sources*,
# else http://deb.debian.org/debian), JIXIAO_CHROOT_DIR (/var/tmp/jixiao-chroot), JIXIAO_KEEP_ROOT=1 to keep
# the root for inspection.  Exit 0 when every check passed.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PYTHON=${PYTHON:-python3}
SUITE=${JIXIAO_SUITE:-bookworm}
WORK=${JIXIAO_CHROOT_DIR:-/var/tmp/jixiao-chroot}
DEB=${1:-}
if [ -z "$DEB" ]; then
    DEB=$(ls -t "$ROOT"/dist/*.deb 2>/dev/null | head -1 || true)
fi
[ -n "$DEB" ] && [ -f "$DEB" ] || { echo "no .deb given and none in dist/ (packaging/linux/build_deb.sh)" >&2; exit 2; }
DEB=$(cd "$(dirname "$DEB")" && pwd)/$(basename "$DEB")
[ "$(id -u)" = 0 ] || { echo "needs root (debootstrap, chroot)" >&2; exit 2; }
command -v debootstrap >/dev/null || { echo "needs debootstrap: apt-get install -y debootstrap" >&2; exit 2; }

mirror() {  # the mirror this machine already uses for Debian (deb822 .sources or one-line .list)
    if [ -n "${JIXIAO_MIRROR:-}" ]; then echo "$JIXIAO_MIRROR"; return; fi
    local m
    m=$(grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | grep -v security | head -1 || true)
    [ -n "$m" ] || m=$(grep -hs '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
                        | awk '{print $2}' | grep -E '/debian/?$' | head -1 || true)
    echo "${m:-http://deb.debian.org/debian}"
}

step() { printf '\n== %s\n' "$*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

mkdir -p "$WORK"
BASE="$WORK/$SUITE-minbase.tar"
if [ ! -f "$BASE" ]; then
    step "debootstrap $SUITE from $(mirror) (once; kept as $BASE)"
    rm -rf "$WORK/base"
    debootstrap --variant=minbase "$SUITE" "$WORK/base" "$(mirror)" >"$WORK/debootstrap.log" 2>&1 \
        || { tail -20 "$WORK/debootstrap.log"; fail "debootstrap"; }
    tar -C "$WORK/base" -cf "$BASE.tmp" . && mv "$BASE.tmp" "$BASE"
    rm -rf "$WORK/base"
fi

R="$WORK/root"
cleanup() {
    mountpoint -q "$R/proc" && umount "$R/proc" || true
    [ "${JIXIAO_KEEP_ROOT:-}" = 1 ] || rm -rf "$R"
}
trap cleanup EXIT
rm -rf "$R"; mkdir -p "$R"
tar -C "$R" -xf "$BASE"
mount -t proc proc "$R/proc" 2>/dev/null || echo "(could not mount /proc in the root: running without it)"

snapshot() {  # every path outside the places dpkg and the test themselves write to
    (cd "$R" && find . -xdev \( -path ./proc -o -path ./tmp -o -path ./var/lib/dpkg -o -path ./var/log \
        -o -path ./var/cache -o -path ./root -o -path ./dev \) -prune -o -printf '%p %m %u:%g\n' | LC_ALL=C sort)
}
snapshot > "$WORK/before.txt"

IN=/tmp/jixiao-test
mkdir -p "$R$IN/in/yunxi" "$R$IN/in/cid" "$R$IN/in/real" "$R$IN/out"
cp "$DEB" "$R$IN/"
cp "$ROOT"/tests/data/packages/yunxi_2024/*.pdf "$R$IN/in/yunxi/"
cp "$ROOT"/tests/packaging/data/cid_font_package/*.pdf "$R$IN/in/cid/"
REAL="$ROOT/../shared/real/shanghai_putuo_shehuigongzuobu_2024_bumen_juesuan.pdf"
[ -f "$REAL" ] && cp "$REAL" "$R$IN/in/real/"

in_root() { chroot "$R" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }

step "dpkg -i $(basename "$DEB") in a clean $SUITE root"
in_root dpkg -i "$IN/$(basename "$DEB")" || fail "dpkg -i"
in_root dpkg -s jixiao-review | grep -E '^(Status|Version|Depends):'
for f in /usr/bin/jixiao-review /usr/bin/jixiao-cli /opt/jixiao-review/jixiao-cli /opt/jixiao-review/jixiao-review \
         /usr/share/applications/jixiao-review.desktop /usr/share/icons/hicolor/scalable/apps/jixiao-review.svg \
         /usr/share/icons/hicolor/256x256/apps/jixiao-review.png; do
    [ -e "$R$f" ] || fail "$f not installed"
done
grep -q '^Name=绩效自评材料审核$' "$R/usr/share/applications/jixiao-review.desktop" || fail "desktop entry name"

step "jixiao-cli, headless"
in_root jixiao-cli --version
checks=()
run_extract() {  # name, input folder
    local t0 t1
    t0=$(date +%s.%N)
    in_root jixiao-cli extract "$IN/in/$2" -o "$IN/out/$1.json" 2> "$WORK/$1.stderr" \
        || { cat "$WORK/$1.stderr"; fail "extract $1"; }
    t1=$(date +%s.%N)
    printf '  extract %-6s %.2f s\n' "$1" "$(echo "$t1 - $t0" | bc 2>/dev/null || echo 0)"
    checks+=("$R$IN/out/$1.json")
}
run_extract yunxi yunxi
run_extract cid cid
[ -f "$REAL" ] && run_extract real real
in_root jixiao-cli export "$IN/in/yunxi" -o "$IN/out/xlsx" || fail "export"
ls "$R$IN/out/xlsx"/*.xlsx >/dev/null 2>&1 || fail "export wrote no .xlsx"
"$PYTHON" "$ROOT/packaging/check_extract.py" --min 20 "${checks[@]}" || fail "too few Chinese fields"

step "what the window would still need on this minimal root (a desktop has all of it)"
missing=$(in_root sh -c 'for f in /opt/jixiao-review/_internal/PySide6/Qt/plugins/platforms/libqxcb.so \
                                 /opt/jixiao-review/_internal/PySide6/QtWidgets.abi3.so; do
                             LD_LIBRARY_PATH=/opt/jixiao-review/_internal ldd "$f"; done' 2>/dev/null \
          | awk '/not found/ {print $1}' | sort -u | tr '\n' ' ')
echo "  ${missing:-(nothing)}"

step "dpkg --purge; nothing of the package may remain"
in_root dpkg --purge jixiao-review || fail "dpkg --purge"
snapshot > "$WORK/after.txt"
if ! diff -u "$WORK/before.txt" "$WORK/after.txt"; then
    fail "the root differs after purge (lines above)"
fi
echo "  root identical to before the install"

if [ "${JIXIAO_GUI_CHECK:-1}" = 1 ]; then
    step "the window, with the package's Recommends installed from $(mirror)"
    # first alternative of each, except fonts: the small WenQuanYi font rather than Noto CJK (60 MB)
    recommends=$(dpkg-deb -f "$DEB" Recommends | tr ',' '\n' | sed 's/|.*//; s/(.*)//; s/ //g' \
                 | sed 's/^fonts-noto-cjk$/fonts-wqy-microhei/' | grep -v '^$' | tr '\n' ' ')
    cp /etc/resolv.conf "$R/etc/resolv.conf" 2>/dev/null || true
    echo "deb $(mirror) $SUITE main" > "$R/etc/apt/sources.list"
    in_root sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
                   --no-install-recommends $recommends" >"$WORK/apt.log" 2>&1 \
        || { tail -20 "$WORK/apt.log"; fail "apt-get install $recommends"; }
    echo "  installed: $recommends"
    in_root dpkg -i "$IN/$(basename "$DEB")" >/dev/null || fail "dpkg -i (second time)"
    missing=$(in_root sh -c 'cd /opt/jixiao-review/_internal && find . -name "*.so*" -type f | while read -r f; do
                                 LD_LIBRARY_PATH=/opt/jixiao-review/_internal ldd "$f"; done' 2>/dev/null \
              | awk '/not found/ {print $1}' | sort -u | tr '\n' ' ')
    [ -z "$missing" ] || fail "still not found with the Recommends installed: $missing"
    echo "  every bundled library resolves"
    set +e
    in_root sh -c 'QT_QPA_PLATFORM=offscreen HOME=/tmp/jixiao-home timeout 8 jixiao-review' >"$WORK/gui.log" 2>&1
    status=$?
    set -e
    [ "$status" = 124 ] || { cat "$WORK/gui.log"; fail "jixiao-review exited ($status) instead of showing its window"; }
    if grep -E "Could not (load|find) the Qt platform plugin|Traceback" "$WORK/gui.log"; then fail "Qt errors"; fi
    echo "  jixiao-review ran 8 s on the offscreen platform (stopped by timeout, as intended)"
fi

step "PASS: installed, ran headless, purged cleanly ($(du -h "$DEB" | cut -f1) package)"
