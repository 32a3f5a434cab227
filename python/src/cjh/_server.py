"""A `cjh serve` process: started, waited for, driven through its control endpoints, stopped."""

from __future__ import annotations

import atexit
import json
import os
import queue
import shutil
import subprocess
import sysconfig
import threading
import urllib.error
import urllib.parse
import urllib.request
from types import TracebackType
from typing import Any, Dict, List, Optional, Type, Union

#: What a setting keyword may be: a flag (`True`), a value, or a path.
SettingValue = Union[str, int, float, bool, "os.PathLike[str]", None]

#: The line `cjh serve` prints on stdout once it accepts connections.
READY_PREFIX = "listening on "

# Control requests go straight to the loopback server: a proxy from the environment
# (HTTP_PROXY) would otherwise be asked to reach 127.0.0.1 on the test's behalf.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class ServerError(RuntimeError):
    """`cjh serve` could not start, stopped, or refused a control request.

    `stderr` holds what the server wrote on its standard error (its own explanation, such
    as an unknown flag or a port in use), or the body of the refused request.
    """

    def __init__(self, message: str, stderr: str = "") -> None:
        self.stderr = stderr
        details = stderr.strip()
        super().__init__(f"{message}\n{details}" if details else message)


def find_binary() -> str:
    """The `cjh` binary the package installed, in this interpreter's scripts folder.

    PATH comes second: a different `cjh` found first on PATH (an older checkout's build)
    must not stand in for the one installed beside this package.
    """
    name = "cjh.exe" if os.name == "nt" else "cjh"
    scripts = sysconfig.get_path("scripts")
    candidate = os.path.join(scripts, name)
    if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
        return candidate
    on_path = shutil.which(name)
    if on_path is not None:
        return on_path
    raise ServerError(f"no cjh binary in {scripts} nor on PATH; install the cjh package")


def setting_args(settings: Dict[str, SettingValue]) -> List[str]:
    """`cjh serve` flags from keywords: `clock="manual"` is `--clock manual`, `True` a bare
    flag, `False` `--flag false`, `None` left out."""
    args: List[str] = []
    for key, value in settings.items():
        flag = "--" + key.replace("_", "-")
        if value is None:
            continue
        if value is True:
            args.append(flag)
        elif value is False:
            args += [flag, "false"]
        else:
            args += [flag, os.fspath(value) if isinstance(value, os.PathLike) else str(value)]
    return args


class Server:
    """A `cjh serve` child process on a free loopback port, ready when constructed.

    Every keyword is a `cjh serve` flag (`clock="manual"`, `state_dir=path`,
    `lifecycle="instant"`). The process stops on `stop()`, at the end of a `with` block,
    at interpreter exit, and, because it is started with `--exit-with-stdin` on a pipe
    only this process holds, when this process dies, even by SIGKILL.
    """

    def __init__(
        self,
        binary: Optional[str] = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        startup_timeout: float = 30.0,
        **settings: SettingValue,
    ) -> None:
        self.binary = binary if binary is not None else find_binary()
        args = [self.binary, "serve", "--host", host, "--port", str(port), "--exit-with-stdin"]
        args += setting_args(settings)
        self._stderr: List[str] = []
        try:
            self._process = subprocess.Popen(
                args,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                encoding="utf-8",
                errors="replace",
            )
        except OSError as error:
            raise ServerError(f"cannot start {self.binary}: {error}") from error
        atexit.register(self.stop)
        self._stderr_reader = threading.Thread(target=self._read_stderr, daemon=True)
        self._stderr_reader.start()
        lines: "queue.Queue[Optional[str]]" = queue.Queue()
        threading.Thread(target=self._read_stdout, args=(lines,), daemon=True).start()
        try:
            line = lines.get(timeout=startup_timeout)
        except queue.Empty:
            # Silent past the timeout: not worth a clean stop's grace period.
            atexit.unregister(self.stop)
            self._process.kill()
            self._process.wait()
            raise ServerError(
                f"cjh serve printed no ready line within {startup_timeout} s", self.stderr
            ) from None
        if line is None or not line.startswith(READY_PREFIX):
            # Its stdout closed (it exited) or it said something else: its stderr says why.
            code = self._stop_process()
            raise ServerError(
                f"cjh serve did not start (exit code {code}; first line {line!r})", self.stderr
            )
        self.url: str = line[len(READY_PREFIX) :].strip()
        self.port: int = int(self.url.rsplit(":", 1)[1])

    def _read_stdout(self, lines: "queue.Queue[Optional[str]]") -> None:
        stdout = self._process.stdout
        if stdout is None:
            lines.put(None)
            return
        first = stdout.readline()
        lines.put(first or None)
        # Keep draining, so the server never blocks on a full pipe.
        for _ in stdout:
            pass

    def _read_stderr(self) -> None:
        if self._process.stderr is not None:
            for text in self._process.stderr:
                self._stderr.append(text)

    @property
    def stderr(self) -> str:
        """What the server wrote on stderr so far (all of it, once it has stopped)."""
        if self._process.poll() is not None:
            self._stderr_reader.join(timeout=5)
        return "".join(self._stderr)

    @property
    def pid(self) -> int:
        """The server's process id."""
        return self._process.pid

    @property
    def running(self) -> bool:
        """Whether the process is still alive."""
        return self._process.poll() is None

    def _stop_process(self) -> Optional[int]:
        """Closes stdin (a clean stop), then kills the process if it lingers."""
        process = self._process
        if process.stdin is not None and not process.stdin.closed:
            try:
                process.stdin.close()
            except OSError:
                pass
        try:
            return process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            return process.wait()

    def stop(self) -> None:
        """Stops the server; calling it again does nothing."""
        atexit.unregister(self.stop)
        self._stop_process()

    def __enter__(self) -> "Server":
        return self

    def __exit__(
        self,
        kind: Optional[Type[BaseException]],
        value: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"<cjh.Server {getattr(self, 'url', '?')} pid {self.pid} {state}>"

    def _call(self, method: str, path: str, body: Optional[Dict[str, Any]] = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.url + path,
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        try:
            with _OPENER.open(request, timeout=30) as response:
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            answer = error.read().decode("utf-8", errors="replace")
            raise ServerError(f"{method} {path}: HTTP {error.code}", answer) from error
        except urllib.error.URLError as error:
            raise ServerError(f"{method} {path}: {error.reason}", self.stderr) from error

    def reset(self) -> None:
        """Forgets every job (`POST /_cjh/reset`); the request journal stays."""
        self._call("POST", "/_cjh/reset", {})

    def advance_clock(self, seconds: float) -> None:
        """Moves the manual clock forward; a server on the system clock refuses."""
        self._call("POST", "/_cjh/clock/advance", {"seconds": seconds})

    def requests(
        self,
        operation: Optional[str] = None,
        *,
        status: Optional[int] = None,
        since: Optional[int] = None,
    ) -> List[Dict[str, Any]]:
        """The request journal, oldest first, filtered as `GET /_cjh/requests` filters."""
        query = {
            key: str(value)
            for key, value in (("operation", operation), ("status", status), ("since", since))
            if value is not None
        }
        path = "/_cjh/requests" + ("?" + urllib.parse.urlencode(query) if query else "")
        entries: List[Dict[str, Any]] = self._call("GET", path)["requests"]
        return entries

    def clear_requests(self) -> int:
        """Forgets the journaled requests; returns how many there were."""
        cleared: int = self._call("DELETE", "/_cjh/requests")["cleared"]
        return cleared

    def faults(self, **faults: Union[int, float]) -> Dict[str, Any]:
        """The injected faults in force and their counts; with keywords (the settings'
        names, `fault_throttling=0.3, fault_seed=7`) replaces them first, turning off
        any left out."""
        if faults:
            answer: Dict[str, Any] = self._call("POST", "/_cjh/faults", dict(faults))
            return answer
        current: Dict[str, Any] = self._call("GET", "/_cjh/faults")
        return current

    def clear_faults(self) -> None:
        """Turns every injected fault off."""
        self._call("POST", "/_cjh/faults", {})
