"""The web app's settings, from the environment; the embedded default needs none.

    DATABASE_URL        SQLAlchemy URL; default SQLite in INSTANCE_DIR (PostgreSQL in production)
    REDIS_URL           when set: sessions, rate limits and jobs go to Redis (production)
    KEYSERVICE_URL      when set: the key service over HTTP, with KEYSERVICE_TOKEN; else in-process
    BLOB_STORE          local (default, INSTANCE_DIR/blobs) or s3 (S3_BUCKET, S3_ENDPOINT_URL, ...)
    SECRET_KEY          signs Flask's own cookie (CSRF); default a random key kept in INSTANCE_DIR
    PRODUCTION          "true" for HSTS and Secure cookies; then SECRET_KEY must be set (shared by
                        every web process, or CSRF tokens fail across them)
    PROXY_COUNT         how many proxies (load balancer) stand before the app: their X-Forwarded-*
                        headers are trusted for client address and scheme; default 0
    INSTANCE_DIR        where the embedded default keeps its files; default ./instance
    PORT                where `make run` serves; default 8000
    UPLOAD_LIMIT_MB     the largest file a person may add, in MB; default 50
    SMS_PROVIDER        outbox (default: SMS kept in the database, listed on the administrators'
                        page) or brevo (BREVO_API_KEY, BREVO_SENDER, BREVO_API_URL)
    SMS_WEBHOOK_SECRET  the bearer token Brevo's webhook sends (delivery reports, STOP replies)
    SMS_DAILY_LIMIT_PER_NUMBER, SMS_DAILY_LIMIT_PER_ACCOUNT, SMS_DAILY_LIMIT_PER_STRUCTURE
                        how many SMS may leave per day (Europe/Paris); defaults 10, 30, 2000
"""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

IDLE_TIMEOUT_SECONDS = 20 * 60
SMS_PROVIDERS = ("outbox", "brevo")
BREVO_API_URL = "https://api.brevo.com/v3"


@dataclass(frozen=True)
class SmsSettings:
    provider: str = "outbox"
    brevo_api_key: str | None = field(default=None, repr=False)
    brevo_sender: str | None = None
    brevo_api_url: str = BREVO_API_URL
    webhook_secret: str | None = field(default=None, repr=False)
    daily_limit_per_number: int = 10
    daily_limit_per_account: int = 30
    daily_limit_per_structure: int = 2000

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> "SmsSettings":
        provider = env.get("SMS_PROVIDER") or "outbox"
        if provider not in SMS_PROVIDERS:
            raise ValueError(f"SMS_PROVIDER must be one of {', '.join(SMS_PROVIDERS)}")
        if provider == "brevo" and not (env.get("BREVO_API_KEY") and env.get("BREVO_SENDER")):
            raise ValueError("SMS_PROVIDER=brevo needs BREVO_API_KEY and BREVO_SENDER")
        return cls(
            provider=provider,
            brevo_api_key=env.get("BREVO_API_KEY") or None,
            brevo_sender=env.get("BREVO_SENDER") or None,
            brevo_api_url=(env.get("BREVO_API_URL") or BREVO_API_URL).rstrip("/"),
            webhook_secret=env.get("SMS_WEBHOOK_SECRET") or None,
            daily_limit_per_number=int(env.get("SMS_DAILY_LIMIT_PER_NUMBER", "10")),
            daily_limit_per_account=int(env.get("SMS_DAILY_LIMIT_PER_ACCOUNT", "30")),
            daily_limit_per_structure=int(env.get("SMS_DAILY_LIMIT_PER_STRUCTURE", "2000")),
        )


@dataclass(frozen=True)
class Settings:
    instance_dir: Path
    database_url: str
    secret_key: str = field(repr=False)
    redis_url: str | None = None
    keyservice_url: str | None = None
    keyservice_token: str | None = field(default=None, repr=False)
    production: bool = False
    proxy_count: int = 0
    idle_timeout_seconds: int = IDLE_TIMEOUT_SECONDS
    upload_limit_bytes: int = 50 * 1000 * 1000
    # Per client address, on the login page and API: a guessing bound that never locks the account.
    login_rate_limit: str = "10 per minute"
    storage: Mapping[str, str] = field(default_factory=dict)
    sms: SmsSettings = field(default_factory=SmsSettings)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if environ is None else environ
        production = env.get("PRODUCTION", "").lower() == "true"
        if production and not env.get("SECRET_KEY"):
            raise ValueError("PRODUCTION=true needs SECRET_KEY, the same for every web process")
        instance = Path(env.get("INSTANCE_DIR") or "instance").resolve()
        instance.mkdir(mode=0o700, parents=True, exist_ok=True)
        return cls(
            instance_dir=instance,
            database_url=env.get("DATABASE_URL") or f"sqlite:///{instance / 'cloud-solidaire.db'}",
            secret_key=env.get("SECRET_KEY") or _instance_secret(instance / "secret_key"),
            redis_url=env.get("REDIS_URL") or None,
            keyservice_url=env.get("KEYSERVICE_URL") or None,
            keyservice_token=env.get("KEYSERVICE_TOKEN") or None,
            production=production,
            proxy_count=int(env.get("PROXY_COUNT", "0")),
            upload_limit_bytes=int(env.get("UPLOAD_LIMIT_MB", "50")) * 1000 * 1000,
            login_rate_limit=env.get("LOGIN_RATE_LIMIT") or "10 per minute",
            storage={
                "BLOB_STORE": env.get("BLOB_STORE", "local"),
                "BLOB_DIR": env.get("BLOB_DIR") or str(instance / "blobs"),
                **{name: env[name] for name in ("S3_BUCKET", "S3_ENDPOINT_URL", "S3_REGION", "S3_PREFIX") if name in env},
            },
            sms=SmsSettings.from_env(env),
        )

    @property
    def keyservice_data_dir(self) -> Path:
        return self.instance_dir / "keyservice"

    @property
    def session_dir(self) -> Path:
        return self.instance_dir / "sessions"


def _instance_secret(path: Path) -> str:
    """A key made once per installation, readable by its owner only."""
    if not path.exists():
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as out:
            out.write(secrets.token_urlsafe(48))
    return path.read_text().strip()
