"""`python -m webapp serve`, the very command, with a clock the journeys move.

The server's time is the wall clock plus an offset the test writes to a file (`ServerClock`), so
the session's 20-minute idle check runs on the same time the browser's fake clock shows.

Every SMS also lands in a phone inbox file (`PhoneInbox`), as the person's phone would show it: the
product's outbox keeps no one-time code's text, by design, and a journey must read the code a
person reads on their phone. Only this test server does so; the product never writes a code down.
Run as `python -m tests.e2e.serve OFFSET_FILE INBOX_FILE --port PORT` with INSTANCE_DIR set.
"""
from __future__ import annotations

import json
import os
import re
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


class RecordingGateway:
    """The server side: hands every SMS to the app's own gateway, then appends it to the inbox file."""

    def __init__(self, inner, inbox: Path) -> None:
        self.inner, self.inbox, self.name = inner, inbox, inner.name

    def send(self, sms):
        accepted = self.inner.send(sms)
        with self.inbox.open("a", encoding="utf-8") as received:
            received.write(json.dumps({"phone": sms.phone_e164, "text": sms.body}) + "\n")
        return accepted

    def find_accepted(self, *args):
        return self.inner.find_accepted(*args)


class PhoneInbox:
    """The test side: the SMS the server sent, oldest first."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def count(self) -> int:
        return len(self._messages())

    def code_after(self, count: int) -> str:
        """The one-time code in the first SMS after the `count` already there."""
        text = self._messages()[count]["text"]
        return re.search(r"\b([0-9]{6})\b", text).group(1)

    def _messages(self) -> list[dict]:
        if not self.path.exists():
            return []
        return [json.loads(line) for line in self.path.read_text(encoding="utf-8").splitlines()]


def main(offset_file: str, inbox_file: str, *serve_args: str) -> None:
    from flask.cli import ScriptInfo

    from webapp import create_app
    from webapp.manage import cli

    clock = OffsetClock(Path(offset_file))

    def app_with_inbox():
        app = create_app(clock=clock)
        app.extensions["sms_gateway"] = RecordingGateway(app.extensions["sms_gateway"], Path(inbox_file))
        return app

    cli.main(["serve", *serve_args], prog_name="python -m webapp", obj=ScriptInfo(create_app=app_with_inbox))


if __name__ == "__main__":
    main(*sys.argv[1:])
