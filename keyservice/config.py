"""The key service's settings, read once from the environment.

    KEYSERVICE_DATABASE_URL       its own database (never the web app's); default SQLite in the data dir
    KEYSERVICE_DATA_DIR           default instance/keyservice, created with mode 0700
    KEYSERVICE_TOKEN              bearer token every caller presents; HTTP mode refuses to start without
    KEYSERVICE_ADMIN_TOKEN        bearer token of the admin unlock endpoint; unset disables it
    KEYSERVICE_MAX_GUESSES        guesses per account for factors answer and code (default 5)
    KEYSERVICE_LOGIN_PER_ACCOUNT  password evaluations per account per window (default 10)
    KEYSERVICE_LOGIN_WINDOW       that window in seconds (default 300)
    KEYSERVICE_LOGIN_GLOBAL       password evaluations over all accounts per 60 seconds (default 600)
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from .errors import ConfigError

DEFAULT_DATA_DIR = "instance/keyservice"
GLOBAL_LOGIN_WINDOW_SECONDS = 60.0


@dataclass(frozen=True)
class LoginLimits:
    """Fixed-window limits on password evaluations: the password factor has no guess counter."""

    per_account: int = 10
    window_seconds: float = 300.0
    global_count: int = 600
    global_window_seconds: float = GLOBAL_LOGIN_WINDOW_SECONDS


@dataclass(frozen=True)
class Config:
    database_url: str
    token: str | None = None
    admin_token: str | None = None
    max_guesses: int = 5
    login_limits: LoginLimits = LoginLimits()

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Config":
        env = os.environ if environ is None else environ
        data_dir = Path(env.get("KEYSERVICE_DATA_DIR") or DEFAULT_DATA_DIR)
        return cls(
            database_url=env.get("KEYSERVICE_DATABASE_URL") or sqlite_url(data_dir),
            token=env.get("KEYSERVICE_TOKEN") or None,
            admin_token=env.get("KEYSERVICE_ADMIN_TOKEN") or None,
            max_guesses=_positive_int(env, "KEYSERVICE_MAX_GUESSES", 5),
            login_limits=LoginLimits(
                per_account=_positive_int(env, "KEYSERVICE_LOGIN_PER_ACCOUNT", 10),
                window_seconds=float(_positive_int(env, "KEYSERVICE_LOGIN_WINDOW", 300)),
                global_count=_positive_int(env, "KEYSERVICE_LOGIN_GLOBAL", 600),
            ),
        )

    def require_token(self) -> str:
        if not self.token:
            raise ConfigError(
                "KEYSERVICE_TOKEN is not set: the key service does not serve HTTP without a caller "
                "token. Set it to a long random value (e.g. `python -c 'import secrets; "
                "print(secrets.token_urlsafe(32))'`) and give the same value to the web app."
            )
        if self.admin_token == self.token:
            raise ConfigError("KEYSERVICE_ADMIN_TOKEN must differ from KEYSERVICE_TOKEN")
        return self.token


def sqlite_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / 'keyservice.db'}"


def _positive_int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be an integer") from None
    if value < 1:
        raise ConfigError(f"{name} must be at least 1")
    return value
