"""The web app's handle on the key service: HTTP in production, in-process in the embedded default.

The app refuses to start when the key service cannot be reached: without it nobody can log in,
and nothing could be checked against the platform keys.
"""
from __future__ import annotations

import time

from keyservice.client import HttpKeyServiceClient, KeyServiceClient, LocalKeyServiceClient, PlatformKeys
from keyservice.config import sqlite_url
from keyservice.errors import KeyServiceError
from keyservice.service import KeyService
from keyservice.storage import open_engine

from .config import Settings

PLATFORM_KEYS_TTL_SECONDS = 300


class KeyServiceUnreachable(RuntimeError):
    pass


class CachingKeyServiceClient:
    """Every call goes to the wrapped client, but the platform keys are kept a few minutes."""

    def __init__(self, inner: KeyServiceClient) -> None:
        self._inner = inner
        self._platform: tuple[float, PlatformKeys] | None = None

    def __getattr__(self, name):
        return getattr(self._inner, name)

    def platform_keys(self) -> PlatformKeys:
        if self._platform is None or time.monotonic() - self._platform[0] > PLATFORM_KEYS_TTL_SECONDS:
            self._platform = (time.monotonic(), self._inner.platform_keys())
        return self._platform[1]


def connect(settings: Settings) -> CachingKeyServiceClient:
    if settings.keyservice_url:
        if not settings.keyservice_token:
            raise KeyServiceUnreachable("KEYSERVICE_URL is set but KEYSERVICE_TOKEN is not")
        inner: KeyServiceClient = HttpKeyServiceClient(settings.keyservice_url, settings.keyservice_token)
    else:
        settings.keyservice_data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        inner = LocalKeyServiceClient(KeyService(open_engine(sqlite_url(settings.keyservice_data_dir))))
    client = CachingKeyServiceClient(inner)
    try:
        client.platform_keys()
    except KeyServiceError as error:
        raise KeyServiceUnreachable(f"the key service does not answer ({type(error).__name__}): refusing to start") from None
    return client
