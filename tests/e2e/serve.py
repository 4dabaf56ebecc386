"""`python -m webapp serve`, the very command, with a clock the journeys move.

The server's time is the wall clock plus an offset the test writes to a file (`ServerClock`), so
the session's 20-minute idle check runs on the same time the browser's fake clock shows.
Run as `python -m tests.e2e.serve OFFSET_FILE --port PORT` with INSTANCE_DIR set.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path


class OffsetClock:
    """The server side: read at every call, since the test moves it while the server runs."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __call__(self) -> float:
        return time.time() + float(self.path.read_text())


class ServerClock:
    """The test side: `advance` moves the running server's clock forward."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = 0.0
        self._write()

    def advance(self, seconds: float) -> None:
        self.offset += seconds
        self._write()

    def _write(self) -> None:
        # Replaced whole: the server never reads a half-written number.
        partial = self.path.with_name(self.path.name + ".partial")
        partial.write_text(repr(self.offset))
        os.replace(partial, self.path)


def main(offset_file: str, *serve_args: str) -> None:
    from flask.cli import ScriptInfo

    from webapp import create_app
    from webapp.manage import cli

    clock = OffsetClock(Path(offset_file))
    cli.main(["serve", *serve_args], prog_name="python -m webapp", obj=ScriptInfo(create_app=lambda: create_app(clock=clock)))


if __name__ == "__main__":
    main(*sys.argv[1:])
