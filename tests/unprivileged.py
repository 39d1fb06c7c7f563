"""Running a program without root's power to write anywhere, so that the read-only paths (exit code 4 of the
contract, a read-only case folder) are really tested when the tests run as root, as CI does.

As root, the program runs through ``setpriv`` (util-linux, installed by .ci/run) with the capabilities that
override file permissions removed from its bounding set (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER):
for that program a folder with mode 0500 is read-only, as it is for any user.  As another user, nothing is
needed.
"""

from __future__ import annotations

import os
import shutil

DROPPED = "-dac_override,-dac_read_search,-fowner,-linux_immutable"


def unprivileged_prefix() -> list[str]:
    """The command prefix (empty when not root); raises ``RuntimeError`` as root without ``setpriv``."""
    if os.name == "nt" or os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        raise RuntimeError("setpriv (util-linux) is needed to test read-only folders as root; .ci/run installs it")
    return [setpriv, f"--bounding-set={DROPPED}", f"--inh-caps={DROPPED}", "--"]
