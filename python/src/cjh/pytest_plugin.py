"""pytest fixtures for the emulator, registered through the `pytest11` entry point.

Nothing starts when pytest loads this module: the server starts the first time a test
asks for one of the fixtures, once per process (so once per pytest-xdist worker).
"""

from __future__ import annotations

from typing import Any, Iterator

import pytest

from ._mock import FAKE_CREDENTIALS, shared_server, stop_shared_server
from ._server import Server


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("cjh", "cjh emulator of the SageMaker compilation-job API")
    group.addoption(
        "--cjh-binary",
        metavar="PATH",
        default=None,
        help="the cjh binary to serve with (default: the one installed with the cjh package)",
    )


@pytest.fixture(scope="session")
def cjh_server(request: pytest.FixtureRequest) -> Iterator[Server]:
    """One `cjh serve --clock manual` for the session, stopped at its end."""
    server = shared_server(request.config.getoption("cjh_binary"))
    yield server
    stop_shared_server()


@pytest.fixture
def cjh(cjh_server: Server) -> Server:
    """The session's server with no jobs and an empty journal, for one test."""
    cjh_server.reset()
    cjh_server.clear_requests()
    return cjh_server


@pytest.fixture
def sagemaker_client(cjh: Server) -> Any:
    """A boto3 SageMaker client on `cjh`, with fake credentials and region us-east-1 (typed
    `Any`, as boto3's clients are made at run time; boto3-stubs users can annotate it)."""
    # Imported here: only the tests that use this fixture need boto3 installed.
    import boto3  # type: ignore[import-untyped,unused-ignore]

    client = boto3.session.Session(
        aws_access_key_id=FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        region_name="us-east-1",
    ).client("sagemaker", endpoint_url=cjh.url)
    return client
