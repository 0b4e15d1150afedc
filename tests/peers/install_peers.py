"""Build the peers once: doccano 1.8.4 and Label Studio 1.23, each in its own venv.

Each peer gets a venv under ``$ANNOTATOR_PEERS_DIR`` (default
``~/.cache/annotator-peers``), because their pinned dependencies (Django, numpy,
pydantic) clash with each other and with ours, and a migrated template database, so a
test or bench start copies a file instead of migrating for minutes. A peer counts as
built only once its marker file is written: an interrupted build is redone on the next
run rather than trusted half-made.

Run: ``python3 tests/peers/install_peers.py [doccano|labelstudio ...]``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import venv
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from peer_servers import (
    make_doccano_template,
    make_labelstudio_template,
    peers_dir,
)

# What each peer needs in its venv. doccano 1.8.4 predates marshmallow 4 and numpy 2
# (its environs and pandas pins allow both but break under them); gunicorn serves its
# WSGI app on loopback, since its own `webserver` command binds every interface.
PEERS: dict[str, list[str]] = {
    "doccano": ["doccano==1.8.4", "marshmallow<4", "numpy<2", "gunicorn"],
    "labelstudio": ["label-studio>=1.23,<1.24"],
}


def install(name: str) -> None:
    root = peers_dir() / name
    marker = root / ".built"
    if marker.is_file():
        print(f"{name}: already built in {root}")
        return
    if not (root / "bin" / "python").exists() or not (root / ".installed").is_file():
        venv.EnvBuilder(with_pip=True, clear=True).create(root)
        pip = [str(root / "bin" / "python"), "-m", "pip", "install", "-q"]
        subprocess.run([*pip, "--upgrade", "pip", "setuptools<81", "wheel"], check=True)
        subprocess.run([*pip, *PEERS[name]], check=True)
        (root / ".installed").write_text(" ".join(PEERS[name]) + "\n")
    print(f"{name}: making the template database")
    if name == "doccano":
        make_doccano_template()
    else:
        with tempfile.TemporaryDirectory(prefix="annotator-peers-") as tmp:
            make_labelstudio_template(Path(tmp))
    marker.write_text(" ".join(PEERS[name]) + "\n")
    print(f"{name}: built in {root}")


def main(argv: list[str]) -> int:
    names = argv or list(PEERS)
    unknown = [n for n in names if n not in PEERS]
    if unknown:
        print(f"unknown peer(s): {', '.join(unknown)}; known: {', '.join(PEERS)}")
        return 2
    for name in names:
        install(name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
