"""Whole pytest sessions of their own (pytester): nothing starts at import, each xdist
worker has its own server, and no `cjh serve` outlives its session or a killed worker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import List, Tuple

import pytest

from jobs import alive

# Each inner test appends "worker-pid server-pid url" to the file $CJH_SEEN names.
RECORDING_TEST = '''
import os

def test_{n}(cjh_server):
    with open(os.environ["CJH_SEEN"], "a") as seen:
        seen.write(f"{{os.getpid()}} {{cjh_server.pid}} {{cjh_server.url}}\\n")
'''


def seen(path: Path) -> List[Tuple[int, int, str]]:
    lines = path.read_text().split("\n") if path.exists() else []
    return [(int(w), int(s), url) for w, s, url in (line.split() for line in lines if line)]


def gone_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.05)
    return False


def test_loading_the_plugin_starts_nothing(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import cjh._mock

        def test_no_fixture(pytestconfig):
            assert pytestconfig.pluginmanager.hasplugin("cjh")
            assert cjh._mock._shared is None
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_each_xdist_worker_gets_its_own_server_and_none_outlives_the_session(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = pytester.path / "seen.txt"
    monkeypatch.setenv("CJH_SEEN", str(record))
    for n in range(6):
        pytester.makepyfile(**{f"test_record_{n}": RECORDING_TEST.format(n=n)})

    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-n", "2")

    result.assert_outcomes(passed=6)
    entries = seen(record)
    workers = {worker for worker, _, _ in entries}
    servers = {(worker, server, url) for worker, server, url in entries}
    assert len(workers) == 2, entries
    # One server per worker, on a port of its own.
    assert len(servers) == 2 and len({url for _, _, url in servers}) == 2, entries
    assert [pid for _, pid, _ in servers if alive(pid)] == []


def test_a_worker_killed_with_sigkill_takes_its_server_with_it(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = pytester.path / "seen.txt"
    monkeypatch.setenv("CJH_SEEN", str(record))
    pytester.makepyfile(
        RECORDING_TEST.format(n="killed")
        + '''
    os.kill(os.getpid(), 9)
'''
    )

    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "-n", "1", "--max-worker-restart", "0"
    )

    result.stdout.fnmatch_lines(["*worker 'gw0' crashed while running*"])
    [(_, server, _)] = seen(record)
    assert gone_within(server, 10), f"cjh serve {server} outlived its SIGKILLed worker"


@pytest.mark.parametrize("ending", ["returns", "is killed with SIGKILL"])
def test_a_process_that_ends_takes_its_server_with_it(ending: str) -> None:
    wait = "time.sleep(60)" if ending != "returns" else "sys.stdin.readline()"
    owner = subprocess.Popen(
        [sys.executable, "-c", f"import cjh, sys, time; s = cjh.Server(); print(s.pid, flush=True); {wait}"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert owner.stdin is not None and owner.stdout is not None
    server = int(owner.stdout.readline())
    assert alive(server)

    if ending == "returns":
        owner.stdin.write("done\n")
        owner.stdin.close()
    else:
        os.kill(owner.pid, signal.SIGKILL)
    owner.wait()

    assert gone_within(server, 10), f"cjh serve {server} outlived the process that started it"


def test_the_cjh_binary_option_chooses_the_binary(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_uses_server(cjh_server):\n    pass\n")

    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--cjh-binary", "/no/such/cjh")

    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*ServerError: cannot start /no/such/cjh*"])
