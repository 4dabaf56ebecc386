"""Gunicorn, run from Python: the same server in the embedded default and in production."""
from __future__ import annotations

from flask import Flask
from gunicorn.app.base import BaseApplication


class _Server(BaseApplication):
    def __init__(self, app: Flask, options: dict) -> None:
        self._app, self._options = app, options
        super().__init__()

    def load_config(self) -> None:
        for name, value in self._options.items():
            self.cfg.set(name, value)

    def load(self) -> Flask:
        return self._app


def run(app: Flask, host: str, port: int) -> None:
    # One worker: the embedded default keeps sessions and the key service in this process.
    _Server(app, {"bind": f"{host}:{port}", "workers": 1, "worker_class": "gthread", "threads": 8,
                  "accesslog": "-", "control_socket_disable": True}).run()
