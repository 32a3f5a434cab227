"""What a user can act on: every failure to start is a `cjh.ServerError` that carries the
server's own message, and none of them hangs."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest

import cjh


def script(tmp_path: Path, body: str) -> str:
    """An executable shell script standing in for the binary."""
    path = tmp_path / "fake-cjh"
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(0o755)
    return str(path)


def test_a_binary_that_does_not_exist_is_named() -> None:
    with pytest.raises(cjh.ServerError, match="cannot start /no/such/cjh"):
        cjh.Server("/no/such/cjh")


def test_a_binary_that_exits_at_once_is_reported_with_its_stderr_and_exit_code(tmp_path: Path) -> None:
    broken = script(tmp_path, "echo 'cjh: this build is broken' >&2; exit 3")

    with pytest.raises(cjh.ServerError) as raised:
        cjh.Server(broken)

    assert "exit code 3" in str(raised.value)
    assert raised.value.stderr == "cjh: this build is broken\n"


def test_a_binary_that_never_prints_its_ready_line_times_out_instead_of_hanging(tmp_path: Path) -> None:
    silent = script(tmp_path, "echo 'cjh: thinking' >&2; exec sleep 60")
    started = time.monotonic()

    with pytest.raises(cjh.ServerError, match="no ready line within 1.0 s") as raised:
        cjh.Server(silent, startup_timeout=1.0)

    assert time.monotonic() - started < 10
    assert "cjh: thinking" in raised.value.stderr


def test_a_port_in_use_is_reported_as_the_server_words_it() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        with pytest.raises(cjh.ServerError) as raised:
            cjh.Server(port=port)

    assert f"cannot listen on 127.0.0.1:{port}" in raised.value.stderr
    assert "Address already in use" in raised.value.stderr


def test_an_unknown_setting_is_named_by_its_flag() -> None:
    with pytest.raises(cjh.ServerError) as raised:
        cjh.Server(no_such_setting=1)

    assert "unexpected argument '--no-such-setting'" in raised.value.stderr


def test_a_bad_setting_value_lists_the_good_ones() -> None:
    with pytest.raises(cjh.ServerError) as raised:
        cjh.Server(clock="sideways")

    assert "invalid value 'sideways' for '--clock <WORD>'" in raised.value.stderr
    assert "manual" in raised.value.stderr


def test_a_refused_control_request_carries_the_servers_answer() -> None:
    with cjh.Server(clock="system") as server:
        with pytest.raises(cjh.ServerError, match="HTTP 400") as raised:
            server.advance_clock(1)
    assert "manual" in raised.value.stderr
