"""Entry point: ``python main.py [命令] …`` — the command line is ``cli.py`` (its docstring lists the commands).

This file stays this small because a script is compiled from source at every start (only imported modules
keep their bytecode): the command line's 600 lines here cost ~5 ms of every ``main.py extract``.
"""

import sys

if __name__ == "__main__":
    if getattr(sys, "frozen", False):  # batch's process pool in a frozen (PyInstaller) build; else a no-op
        import multiprocessing

        multiprocessing.freeze_support()
    from cli import run

    run()
else:
    def __getattr__(name: str):  # ``import main`` (tests, tools): the command line's names
        import cli

        return getattr(cli, name)
