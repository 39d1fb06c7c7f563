"""Measure the built program's start: launch to main window mapped (under Xvfb), and the command line's times.

    python3 packaging/measure_startup.py [dist/jixiao-review] [--runs 5] [--cold]

Why it exists: "how long until the window is there" is what a reviewer feels, and the one number a freeze can
make worse (unpacking, libraries found late, plugins scanned).  The window is timed from the moment the
process is started until ``xdotool search --onlyvisible --name '^绩效自评审核$'`` finds the mapped main window
(not the first-start dialog that follows it), on a private Xvfb
display (so the X server's own start is not counted), each run with a fresh empty HOME (first start of a new
user: no settings, no last case).  ``--cold`` drops the page cache before each run (root only), which is
the first start after a reboot; otherwise the runs after the first are warm.  Also times ``jixiao-cli
--version`` and ``jixiao-cli extract`` on the 9-page 云溪 package.

Needs Xvfb and xdotool (apt-get install xvfb xdotool).  Linux only.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def drop_caches() -> bool:
    try:
        subprocess.run(["sync"], check=True)
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def start_xvfb() -> tuple[subprocess.Popen, str]:
    """A private Xvfb on a display it picks itself (-displayfd), so parallel runs never collide."""
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1600x1000x24",
                             "-nolisten", "tcp"],
                            pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    with os.fdopen(read_fd) as f:
        number = f.readline().strip()
    if not number or proc.poll() is not None:
        raise SystemExit("could not start Xvfb")
    return proc, f":{number}"


def time_window(program: Path, display: str, cold: bool, title: str, timeout: float = 60) -> float:
    home = Path(tempfile.mkdtemp(prefix="jixiao-home-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "PYTHON", "LD_", "WAYLAND"))}
    env.update(DISPLAY=display, HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
               XDG_DATA_HOME=str(home / ".local/share"), XDG_CACHE_HOME=str(home / ".cache"))
    if cold and not drop_caches():
        raise SystemExit("--cold needs root (writes /proc/sys/vm/drop_caches)")
    t0 = time.monotonic()
    proc = subprocess.Popen([str(program)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        while time.monotonic() - t0 < timeout:
            found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", f"^{title}$"],
                                   env={**env, "LANG": "C.UTF-8"}, capture_output=True, text=True)
            if found.returncode == 0 and found.stdout.strip():
                return time.monotonic() - t0
            if proc.poll() is not None:
                err = proc.stderr.read().decode(errors="replace")[-2000:]
                raise RuntimeError(f"{program} exited with {proc.returncode}: {err}")
            time.sleep(0.01)
        raise SystemExit(f"no window after {timeout} s")
    finally:
        proc.kill()
        proc.wait()
        shutil.rmtree(home, ignore_errors=True)


def time_cli(cli: Path, *args: str) -> float:
    t0 = time.monotonic()
    subprocess.run([str(cli), *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.monotonic() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("bundle", nargs="?", default=ROOT / "dist" / "jixiao-review", type=Path)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--cold", action="store_true", help="drop the page cache before every run (root)")
    ap.add_argument("--title", default="绩效自评审核",
                    help="the main window's title (ui/main_window.py APP_TITLE)")
    args = ap.parse_args(argv)
    for tool in ("Xvfb", "xdotool"):
        if not shutil.which(tool):
            raise SystemExit(f"needs {tool}: apt-get install xvfb xdotool")
    gui, cli = args.bundle / "jixiao-review", args.bundle / "jixiao-cli"
    times: list[float] = []
    failures = 0
    while len(times) < args.runs:
        xvfb, display = start_xvfb()  # a fresh X server per run: a busy machine's display numbers can collide
        try:
            times.append(time_window(gui, display, args.cold, args.title))
        except RuntimeError as e:
            failures += 1
            if failures > 3:
                raise SystemExit(str(e))
        finally:
            xvfb.kill()
            xvfb.wait()
    kind = "cold (page cache dropped before each run)" if args.cold else "first run, then warm"
    runs = ", ".join(f"{t:.2f}" for t in times)
    print(f"window mapped: {runs} s  ({kind}; median {statistics.median(times):.2f} s)")
    sample = ROOT / "tests" / "data" / "packages" / "yunxi_2024"
    with tempfile.TemporaryDirectory() as tmp:
        v = [time_cli(cli, "--version") for _ in range(3)]
        x = [time_cli(cli, "extract", str(sample), "-o", f"{tmp}/case.json") for _ in range(3)]
    print(f"jixiao-cli --version: {min(v):.2f} s; extract 云溪 package (9 pages): {min(x):.2f} s (best of 3)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
