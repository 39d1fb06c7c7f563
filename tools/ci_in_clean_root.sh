#!/usr/bin/env bash
# Run .ci/run as CI does on a fresh machine: a clean clone of this repository's HEAD (committed work only) inside
# a clean Debian root (debootstrap), with ../shared beside it.  Nothing of this machine's packages, fonts, pip
# caches or untracked files is visible in there.
#
#   sudo tools/ci_in_clean_root.sh [COMMIT]        # default HEAD; prints the pytest summary, exits with .ci/run's code
#
# Needs root, debootstrap (apt-get install -y debootstrap), network to the Debian mirror and to PyPI (as CI has).
# Steps:
#   1. a minimal Debian root (debootstrap --variant=minbase, made once and kept as a tarball — the same one
#      packaging/test_deb_in_chroot.sh uses — every run starts from a fresh copy of it)
#   2. only what a CI machine has before .ci/run: python3 with venv and pip (in a virtualenv, since Debian's
#      Python refuses system-wide pip installs), git, ca-certificates
#   3. git clone of COMMIT into /ci/main, ../shared copied to /ci/shared
#   4. .ci/run as root with CI=true (it installs the system packages and requirements-dev.txt itself)
#
# Environment: JIXIAO_SUITE (bookworm), JIXIAO_MIRROR (this machine's Debian mirror, else deb.debian.org),
# JIXIAO_CHROOT_DIR (/var/tmp/jixiao-chroot), JIXIAO_KEEP_ROOT=1 keeps the root for inspection,
# JIXIAO_PYTEST_ARGS extra arguments for pytest (e.g. "-x"; passed through .ci/run's PYTEST_ADDOPTS).
# The log of the whole run is $JIXIAO_CHROOT_DIR/ci-run.log.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=$(cd "$ROOT/.." && pwd)/shared
SUITE=${JIXIAO_SUITE:-bookworm}
WORK=${JIXIAO_CHROOT_DIR:-/var/tmp/jixiao-chroot}
COMMIT=${1:-HEAD}
[ "$(id -u)" = 0 ] || { echo "needs root (debootstrap, chroot, mounts)" >&2; exit 2; }
command -v debootstrap >/dev/null || { echo "needs debootstrap: apt-get install -y debootstrap" >&2; exit 2; }
[ -d "$SHARED" ] || { echo "no ../shared beside the checkout ($SHARED)" >&2; exit 2; }
REV=$(git -C "$ROOT" rev-parse --verify "$COMMIT^{commit}") || { echo "unknown commit $COMMIT" >&2; exit 2; }

mirror() {  # the mirror this machine already uses for Debian (deb822 .sources or one-line .list)
    if [ -n "${JIXIAO_MIRROR:-}" ]; then echo "$JIXIAO_MIRROR"; return; fi
    local m
    m=$(grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | grep -v security | head -1 || true)
    [ -n "$m" ] || m=$(grep -hs '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
                        | awk '{print $2}' | grep -E '/debian/?$' | head -1 || true)
    echo "${m:-http://deb.debian.org/debian}"
}

step() { printf '\n== %s (%s)\n' "$*" "$(date -u +%H:%M:%S)"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
started=$(date +%s)

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

R="$WORK/ci-root"
MOUNTS=()
cleanup() {
    local m
    for ((i=${#MOUNTS[@]}-1; i>=0; i--)); do
        m=${MOUNTS[$i]}
        mountpoint -q "$m" && umount -R "$m" 2>/dev/null || umount -R -l "$m" 2>/dev/null || true
    done
    if grep -q " $R/" /proc/mounts; then  # never delete through a mount that is still there (/dev, /sys)
        echo "still mounted under $R; left in place:" >&2; grep " $R/" /proc/mounts >&2
        return
    fi
    [ "${JIXIAO_KEEP_ROOT:-}" = 1 ] || rm -rf --one-file-system "$R"
}
trap cleanup EXIT
rm -rf "$R"; mkdir -p "$R"
tar -C "$R" -xf "$BASE"
mnt() {  # type-or-bind, source, target
    mkdir -p "$3"
    if [ "$1" = bind ]; then mount --rbind "$2" "$3" && mount --make-rslave "$3"; else mount -t "$1" "$2" "$3"; fi
    MOUNTS+=("$3")
}
mnt proc proc "$R/proc"
mnt bind /dev "$R/dev"   # /dev/null, /dev/shm (multiprocessing's semaphores), /dev/urandom
mnt bind /sys "$R/sys"
cp /etc/resolv.conf "$R/etc/resolv.conf"
echo "deb $(mirror) $SUITE main" > "$R/etc/apt/sources.list"

# The network's trust as this machine has it: where PyPI is reached through a proxy with its own certificate
# authority (pip's "cert" setting here), the same bundle is given to pip inside the root.
PIP_ENV=()
host_ca=${PIP_CERT:-$(python3 -m pip config get global.cert 2>/dev/null || true)}
if [ -n "$host_ca" ] && [ -f "$host_ca" ]; then
    mkdir -p "$R/etc/ssl/certs" && cp "$host_ca" "$R/etc/ssl/certs/ci-host-ca-bundle.crt"
    PIP_ENV+=(PIP_CERT=/etc/ssl/certs/ci-host-ca-bundle.crt)
fi
[ -n "${PIP_DEFAULT_TIMEOUT:-}" ] && PIP_ENV+=(PIP_DEFAULT_TIMEOUT="$PIP_DEFAULT_TIMEOUT")

in_root() { chroot "$R" /usr/bin/env -i PATH=/opt/venv/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
                    TERM=dumb "${PIP_ENV[@]}" "$@"; }

step "a CI machine's starting point: python3 (venv, pip), git, ca-certificates"
in_root sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
               python3 python3-venv python3-pip git ca-certificates" >"$WORK/ci-base-apt.log" 2>&1 \
    || { tail -20 "$WORK/ci-base-apt.log"; fail "apt-get install python3 git"; }
in_root python3 -m venv /opt/venv || fail "python3 -m venv"
in_root python3 --version

step "clean clone of $REV with ../shared beside it"
mkdir -p "$R/ci"
git clone -q --no-local --no-hardlinks "$ROOT" "$R/ci/main"
git -C "$R/ci/main" checkout -q "$REV"
cp -a "$SHARED" "$R/ci/shared"
git -C "$R/ci/main" status --short | head -5
echo "  $(git -C "$R/ci/main" log --oneline -1)"

step ".ci/run (CI=true), log in $WORK/ci-run.log"
set +e
in_root sh -c "cd /ci/main && CI=true PYTEST_ADDOPTS='${JIXIAO_PYTEST_ARGS:-}' bash .ci/run" >"$WORK/ci-run.log" 2>&1
status=$?
set -e
tail -40 "$WORK/ci-run.log"
elapsed=$(( $(date +%s) - started ))
step ".ci/run exited $status after $((elapsed / 60)) min $((elapsed % 60)) s in all (root, clone, installs, tests)"
exit "$status"
