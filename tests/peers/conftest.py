"""Fixtures of the peer tests: real doccano and Label Studio servers, once per session.

The peers' venvs are built by ``install_peers.py`` (``.ci/run`` calls it before the
slow step). Without them a developer's run skips these tests; CI fails them, since
there a missing peer means a broken install step, not a choice.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from peer_servers import (
    PeerMissing,
    Server,
    start_doccano,
    start_labelstudio,
)


def _missing(error: PeerMissing) -> None:
    if os.environ.get("CI"):
        pytest.fail(str(error))
    pytest.skip(str(error))


@pytest.fixture(scope="session")
def doccano_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    try:
        server = start_doccano(tmp_path_factory.mktemp("doccano"))
    except PeerMissing as error:
        _missing(error)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def labelstudio_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    try:
        server = start_labelstudio(tmp_path_factory.mktemp("labelstudio"))
    except PeerMissing as error:
        _missing(error)
    yield server
    server.stop()
