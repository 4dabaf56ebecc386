"""A fake Brevo: a real HTTP server in a thread of the test process, speaking the two endpoints of
Brevo's transactional SMS API the app uses, so the app (and worker processes) reach it over HTTP.

    POST /v3/transactionalSMS/send               201 {"reference", "messageId", "smsCount", ...}
    GET  /v3/transactionalSMS/statistics/events  {"events": [{"phoneNumber", "date", "messageId",
                                                  "event", "tag"}, ...]}, filtered by tags/phoneNumber

The test steers it: `fail_next(n, status)` answers the next n sends with an error, `hold_next()`
keeps the next send waiting until `release(accept=...)`, and `received` lists what it accepted.
"""
from __future__ import annotations

import itertools
import json
import secrets
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

SEND = "/v3/transactionalSMS/send"
EVENTS = "/v3/transactionalSMS/statistics/events"
REQUIRED = ("sender", "recipient", "content")


@dataclass
class Hold:
    arrived: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)
    accept: bool = True


class FakeBrevo:
    def __init__(self) -> None:
        self.api_key = secrets.token_hex(16)
        self.received: list[dict] = []  # the SMS it accepted, as sent
        self.requests: list[tuple[str, str]] = []  # (method, path) of every request
        self._failures: list[int] = []
        self._hold: Hold | None = None
        self._delivered: set[str] = set()
        self._ids = itertools.count(1511882900176220)
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake brevo", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v3"

    def start(self) -> "FakeBrevo":
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._hold is not None:
            self._hold.released.set()
        self._server.shutdown()
        self._server.server_close()

    # What the test steers
    def fail_next(self, times: int, status: int = 500) -> None:
        with self._lock:
            self._failures.extend([status] * times)

    def hold_next(self) -> Hold:
        """The next send waits until `release`; `hold.arrived` is set once it is waiting."""
        self._hold = Hold()
        return self._hold

    def release(self, *, accept: bool) -> None:
        """Let the held send finish: accepted (Brevo took it, whoever still listens), or not."""
        hold, self._hold = self._hold, None
        hold.accept = accept
        hold.released.set()

    def mark_delivered(self, message_id: str) -> None:
        self._delivered.add(message_id)

    # The HTTP side
    def _accept(self, sms: dict) -> dict:
        with self._lock:
            message_id = next(self._ids)
            self.received.append({**sms, "messageId": message_id, "date": datetime.now(timezone.utc).isoformat()})
        return {"reference": secrets.token_hex(8), "messageId": message_id, "smsCount": 1, "usedCredits": 0.045,
                "remainingCredits": 100.0}

    def _events(self, query: dict[str, list[str]]) -> dict:
        tags = query.get("tags", [None])[0]
        number = query.get("phoneNumber", [None])[0]
        events = []
        for sms in list(self.received):
            tag = sms.get("tag")
            if (tags is not None and tag != tags) or (number is not None and sms["recipient"] != number):
                continue
            base = {"phoneNumber": sms["recipient"], "date": sms["date"], "messageId": str(sms["messageId"]), "tag": tag}
            events.append({**base, "event": "sent"})
            if str(sms["messageId"]) in self._delivered:
                events.append({**base, "event": "delivered"})
        return {"events": events}

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet test output
                pass

            def do_GET(self) -> None:
                path = urlsplit(self.path)
                fake.requests.append(("GET", path.path))
                if not self._authorised():
                    return
                if path.path != EVENTS:
                    return self._answer(404, {"code": "document_not_found", "message": "not found"})
                self._answer(200, fake._events(parse_qs(path.query)))

            def do_POST(self) -> None:
                fake.requests.append(("POST", self.path))
                if not self._authorised():
                    return
                if self.path != SEND:
                    return self._answer(404, {"code": "document_not_found", "message": "not found"})
                try:
                    sms = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                except ValueError:
                    return self._answer(400, {"code": "bad_request", "message": "invalid JSON"})
                if not isinstance(sms, dict) or any(not isinstance(sms.get(name), str) or not sms[name] for name in REQUIRED):
                    return self._answer(400, {"code": "missing_parameter", "message": "sender, recipient and content"})
                with fake._lock:
                    failure = fake._failures.pop(0) if fake._failures else None
                if failure is not None:
                    return self._answer(failure, {"code": "internal_error", "message": "try again"})
                hold = fake._hold
                if hold is not None and not hold.arrived.is_set():
                    hold.arrived.set()
                    hold.released.wait()
                    if not hold.accept:
                        return self._answer(502, {"code": "internal_error", "message": "lost"})
                self._answer(201, fake._accept(sms))

            def _authorised(self) -> bool:
                if self.headers.get("api-key") != fake.api_key:
                    self._answer(401, {"code": "unauthorized", "message": "Key not found"})
                    return False
                return True

            def _answer(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:  # the caller is gone (a killed worker): Brevo's work is done anyway
                    pass

        return Handler
