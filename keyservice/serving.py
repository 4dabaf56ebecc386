"""Gunicorn run from Python, for a Flask app: the key service's `serve`, and the web app's."""
from __future__ import annotations

from flask import Flask
from gunicorn.app.base import BaseApplication


class _GunicornServer(BaseApplication):
    def __init__(self, app: Flask, options: dict) -> None:
        self._app = app
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for name, value in self._options.items():
            self.cfg.set(name, value)

    def load(self) -> Flask:
        return self._app


def run_gunicorn(app: Flask, host: str, port: int, **options) -> None:
    # Several servers on one machine (tests, staging) would otherwise share gunicorn's control socket.
    _GunicornServer(app, {"bind": f"{host}:{port}", "control_socket_disable": True, **options}).run()
