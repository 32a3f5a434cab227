"""The cjh emulator of the SageMaker compilation-job API, from Python.

- `Server`: a `cjh serve` process on a free loopback port.
- `mock_sagemaker()`: a context manager and decorator that points boto3 at a fresh one.
- the pytest plugin (`cjh.pytest_plugin`): fixtures `cjh_server`, `cjh`, `sagemaker_client`.
"""

from ._mock import mock_sagemaker, shared_server, stop_shared_server
from ._server import Server, ServerError, find_binary

__all__ = [
    "Server",
    "ServerError",
    "find_binary",
    "mock_sagemaker",
    "shared_server",
    "stop_shared_server",
]
