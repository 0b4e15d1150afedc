"""Build the one-folder desktop bundle with PyInstaller.

    python3 -m pip install -e ".[packaging]"
    python3 packaging/build.py [--dist DIR] [--work DIR]

The program is ``<DIST>/annotator/annotator`` (default ``dist/annotator/annotator``);
copy or archive the whole ``<DIST>/annotator`` folder. Prints the build time and the
bundle's size, then checks that the bundle answers ``--version``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "annotator.spec"


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def build(dist: Path, work: Path, *, clean: bool = False) -> Path:
    """Run PyInstaller on the spec; return the bundle's executable."""
    cmd = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--log-level=WARN",
        f"--distpath={dist}",
        f"--workpath={work}",
        *(["--clean"] if clean else []),
        str(SPEC),
    ]
    subprocess.run(cmd, cwd=ROOT, check=True)
    exe = dist / "annotator" / ("annotator.exe" if os.name == "nt" else "annotator")
    if not exe.is_file():
        raise SystemExit(f"PyInstaller finished but {exe} is missing")
    return exe


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder")
    parser.add_argument(
        "--work", type=Path, default=ROOT / "build" / "pyinstaller", help="PyInstaller cache"
    )
    parser.add_argument("--clean", action="store_true", help="empty the PyInstaller cache first")
    args = parser.parse_args(argv)
    start = time.monotonic()
    exe = build(args.dist.resolve(), args.work.resolve(), clean=args.clean)
    elapsed = time.monotonic() - start
    size = folder_size(exe.parent)
    version = subprocess.run(
        [str(exe), "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    print(f"built {exe} ({version}) in {elapsed:.0f} s; bundle {size / 2**20:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
