"""`mock_sagemaker()`: the emulator in place of SageMaker for a block or a function, as
moto's `@mock_aws` is used."""

from __future__ import annotations

import os
import threading
from contextlib import ContextDecorator
from types import TracebackType
from typing import Dict, List, Optional, Type

from ._server import Server

_shared: Optional[Server] = None
_shared_lock = threading.Lock()

#: Fake credentials: the emulator accepts any, and real ones must never reach it.
FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
}

#: Variables that would mix real credentials or another endpoint into the block's.
_HIDDEN = ["AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_PROFILE", "AWS_ENDPOINT_URL"]


def shared_server(binary: Optional[str] = None) -> Server:
    """This process's server, started on first use with a manual clock and reused after,
    so a test suite pays the start once (each pytest-xdist worker has its own)."""
    global _shared
    with _shared_lock:
        if _shared is None or not _shared.running:
            _shared = Server(binary, clock="manual")
        return _shared


def stop_shared_server() -> None:
    """Stops this process's shared server, if one runs."""
    global _shared
    with _shared_lock:
        if _shared is not None:
            _shared.stop()
            _shared = None


class mock_sagemaker(ContextDecorator):
    """Points boto3 (and any AWS SDK that reads `AWS_ENDPOINT_URL_*`) at a fresh emulator.

    On entry the server (`server`, or this process's shared one) forgets every job and
    request, and the environment gets the SageMaker and Resource Groups Tagging endpoints,
    fake credentials and a region; on exit the environment is restored. As a context
    manager it gives the server, to advance its clock or read its journal.
    """

    def __init__(self, server: Optional[Server] = None, region: str = "us-east-1") -> None:
        self._server = server
        self._region = region
        self._saved: List[Dict[str, Optional[str]]] = []

    def __enter__(self) -> Server:
        server = self._server if self._server is not None else shared_server()
        server.reset()
        server.clear_requests()
        wanted: Dict[str, Optional[str]] = {
            "AWS_ENDPOINT_URL_SAGEMAKER": server.url,
            "AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API": server.url,
            "AWS_DEFAULT_REGION": self._region,
            **FAKE_CREDENTIALS,
            **{name: None for name in _HIDDEN},
        }
        # A stack, so one decorated function calling another restores each level.
        self._saved.append({name: os.environ.get(name) for name in wanted})
        _apply(wanted)
        return server

    def __exit__(
        self,
        kind: Optional[Type[BaseException]],
        value: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        _apply(self._saved.pop())


def _apply(values: Dict[str, Optional[str]]) -> None:
    for name, value in values.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
