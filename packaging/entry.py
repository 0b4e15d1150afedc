"""Entry point of the frozen bundle (PyInstaller runs this file as ``__main__``).

``--version`` is answered before anything heavy is imported; everything else goes to
the ``annotator`` command line (``annotator.cli:main``), exactly as when installed.
"""

from __future__ import annotations

import multiprocessing
import sys


def main() -> int:
    # `annotator suggest --n-process N` starts worker processes: in a frozen program
    # they re-run this executable, and freeze_support() turns them into workers.
    multiprocessing.freeze_support()
    if sys.argv[1:] == ["--version"]:
        from annotator import __version__

        print(f"annotator {__version__}")
        return 0
    if sys.argv[1:2] == ["--training-child"]:  # Annotate > Train now's child process
        from annotator.app.training_runs import main as training_child

        return training_child(sys.argv[2:])
    from annotator.cli import main as cli_main

    return cli_main()


if __name__ == "__main__":
    sys.exit(main())
