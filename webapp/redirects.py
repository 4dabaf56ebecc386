"""Where a page may send the browser back to, from a parameter the browser itself sent."""
from __future__ import annotations

from urllib.parse import urlparse


def local_path(target: str | None, default: str = "/") -> str:
    """A path of this site only: never `//elsewhere`, a scheme, nor a backslash, which browsers read
    as a slash (`/\\elsewhere` leaves the site)."""
    if (not target or not target.startswith("/") or target.startswith("//") or "\\" in target
            or urlparse(target).netloc or any(ch < " " for ch in target)):
        return default
    return target
