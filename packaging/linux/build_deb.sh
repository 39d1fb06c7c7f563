#!/usr/bin/env bash
# Build the Debian package (UOS, Kylin, Debian, Ubuntu) from the PyInstaller folder.
#
#   pyinstaller --noconfirm --clean build.spec
#   packaging/linux/build_deb.sh [--bundle dist/jixiao-review] [--out dist]
#   -> dist/jixiao-review_<version>_amd64.deb
#
# What the package holds:
#   /opt/jixiao-review/                         the bundle, unchanged (jixiao-review, jixiao-cli, _internal/)
#   /usr/bin/jixiao-review, /usr/bin/jixiao-cli small launchers (packaging/linux/launcher.sh)
#   /usr/share/applications/jixiao-review.desktop   the menu entry, in Chinese (packaging/linux/...desktop)
#   /usr/share/icons/hicolor/{scalable,16x16..256x256}/apps/jixiao-review.{svg,png}
#   /usr/share/doc/jixiao-review/copyright      what is bundled, under which licence
# Depends: only what a minimal Debian root already has (libc6 at least as new as the bundle needs — read from
# the bundle by glibc_report.py — libgcc, libstdc++).  The desktop libraries the window needs (X11, xcb,
# fontconfig, GL, glib, dbus) are Recommends: every desktop has them, and the command line works without them.
# Only dpkg-deb is needed (no debhelper); files are owned by root whoever builds.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PYTHON=${PYTHON:-python3}
BUNDLE=$ROOT/dist/jixiao-review
OUT=$ROOT/dist
MAINTAINER=${JIXIAO_MAINTAINER:-"jixiao-review maintainers <jixiao-review@localhost>"}

while [ $# -gt 0 ]; do
    case "$1" in
        --bundle) BUNDLE=$2; shift 2 ;;
        --out) OUT=$2; shift 2 ;;
        -h|--help) awk 'NR > 1 && /^#/ {sub(/^# ?/, ""); print; next} NR > 1 {exit}' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
BUNDLE=$(cd "$BUNDLE" && pwd)
mkdir -p "$OUT"; OUT=$(cd "$OUT" && pwd)

read -r NAME VERSION < <("$PYTHON" - "$ROOT/pyproject.toml" <<'PY'
import sys, tomllib
p = tomllib.load(open(sys.argv[1], "rb"))["project"]
print(p["name"], p["version"])
PY
)
for prog in "$NAME" jixiao-cli; do
    [ -x "$BUNDLE/$prog" ] || { echo "no $BUNDLE/$prog: run 'pyinstaller build.spec' first" >&2; exit 1; }
done
ARCH=$(dpkg --print-architecture)
GLIBC=$("$PYTHON" "$ROOT/packaging/glibc_report.py" "$BUNDLE" --json | "$PYTHON" -c \
    'import json, sys; print(json.load(sys.stdin)["max"]["GLIBC"])')

STAGE=$(mktemp -d "${TMPDIR:-/tmp}/jixiao-deb.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT
subst() { sed -e "s/@NAME@/$NAME/g" -e "s/@PROGRAM@/$2/g" "$1"; }

# the bundle, as built
install -d "$STAGE/opt/$NAME"
cp -a "$BUNDLE/." "$STAGE/opt/$NAME/"
# launchers
install -d "$STAGE/usr/bin"
for prog in "$NAME" jixiao-cli; do
    subst "$ROOT/packaging/linux/launcher.sh" "$prog" > "$STAGE/usr/bin/$prog"
    chmod 0755 "$STAGE/usr/bin/$prog"
done
# menu entry and icons
install -D -m 0644 "$ROOT/packaging/linux/jixiao-review.desktop" "$STAGE/usr/share/applications/$NAME.desktop"
install -D -m 0644 "$ROOT/resources/icons/app.svg" "$STAGE/usr/share/icons/hicolor/scalable/apps/$NAME.svg"
for png in "$ROOT"/packaging/icons/png/*.png; do
    size=$(basename "$png" .png)
    install -D -m 0644 "$png" "$STAGE/usr/share/icons/hicolor/${size}x${size}/apps/$NAME.png"
done
install -D -m 0644 <(subst "$ROOT/packaging/linux/copyright" "") "$STAGE/usr/share/doc/$NAME/copyright"
# no file writable by group/others, every folder traversable
chmod -R u+rwX,go+rX,go-w "$STAGE"

# control files
install -d -m 0755 "$STAGE/DEBIAN"
subst "$ROOT/packaging/linux/postrm" "" > "$STAGE/DEBIAN/postrm"
chmod 0755 "$STAGE/DEBIAN/postrm"
(cd "$STAGE" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | LC_ALL=C sort -z \
    | xargs -0 md5sum > DEBIAN/md5sums)
INSTALLED_KB=$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)
cat > "$STAGE/DEBIAN/control" <<EOF
Package: $NAME
Version: $VERSION
Architecture: $ARCH
Maintainer: $MAINTAINER
Installed-Size: $INSTALLED_KB
Depends: libc6 (>= $GLIBC), libgcc-s1 | libgcc1, libstdc++6
Recommends: libglib2.0-0, libfontconfig1, libfreetype6, libx11-6, libx11-xcb1, libxcb1, libgl1, libegl1,
 libdbus-1-3, fonts-noto-cjk | fonts-wqy-microhei | fonts-wqy-zenhei
Section: utils
Priority: optional
Description: 部门整体支出绩效自评材料审核工具
 Review tool for district finance bureaus: reads a department's 部门整体支出绩效自评
 package (自评报告, 自评表, 基础数据表, 部门决算) from its PDFs, extracts every figure
 with the place it was printed, checks arithmetic and consistency, and exports the
 official forms and a problem list to Excel.  No network use.
 .
 Programs: jixiao-review (the window), jixiao-cli (command line: extract, export,
 sample).  Installed in /opt/$NAME.
EOF

DEB="$OUT/${NAME}_${VERSION}_${ARCH}.deb"
if dpkg-deb --help | grep -q -- --root-owner-group; then
    dpkg-deb --root-owner-group -Zxz --build "$STAGE" "$DEB" >/dev/null
else  # dpkg older than 1.19
    fakeroot dpkg-deb -Zxz --build "$STAGE" "$DEB" >/dev/null
fi
echo "$DEB ($(du -h "$DEB" | cut -f1); installs $((INSTALLED_KB / 1024)) MB; needs glibc >= $GLIBC)"
