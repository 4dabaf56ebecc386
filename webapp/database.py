"""Binding the database to the app: one engine, a scoped session removed after each request."""
from __future__ import annotations

from flask import Flask, current_app
from sqlalchemy.orm import Session

from .config import Settings
from .db import make_engine, make_session_factory


def init_app(app: Flask, settings: Settings) -> None:
    engine = make_engine(settings.database_url)
    sessions = make_session_factory(engine)
    app.extensions["db_engine"] = engine
    app.extensions["db"] = sessions

    @app.teardown_appcontext
    def remove_session(_exception=None) -> None:
        sessions.remove()


def db() -> Session:
    return current_app.extensions["db"]()
