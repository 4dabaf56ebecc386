"""The app's request class: where uploaded files go while the form is parsed.

On the upload endpoints each file is encrypted as it arrives (`vault/uploads.py`); everywhere else
a file part is refused, so no uploaded plaintext is ever spooled to the server's disk, and bodies
are limited to 1 MiB.
"""
from __future__ import annotations

from flask import Request, current_app, g
from flask_login import current_user
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import BadRequest

UPLOAD_ENDPOINTS = frozenset({"vault.upload", "api.upload_documents"})
OTHER_REQUEST_BYTES = 1024 * 1024


class VaultRequest(Request):
    @property
    def max_content_length(self) -> int:
        if self.endpoint in UPLOAD_ENDPOINTS:
            return current_app.config["MAX_CONTENT_LENGTH"]
        return OTHER_REQUEST_BYTES

    def _load_form_data(self) -> None:
        try:
            super()._load_form_data()
        except Exception:
            # A refused upload stops the parse; what follows (error page, CSRF) must see an empty
            # form rather than parse the half-read body again.
            self.__dict__.setdefault("form", ImmutableMultiDict())
            self.__dict__.setdefault("files", ImmutableMultiDict())
            raise

    def _get_file_stream(self, total_content_length, content_type, filename=None, content_length=None):
        from .vault.uploads import EncryptingSpool

        if self.endpoint not in UPLOAD_ENDPOINTS or not current_user.is_authenticated:
            raise BadRequest()
        spool = EncryptingSpool(current_user.id, current_app.config["UPLOAD_LIMIT_BYTES"])
        g.setdefault("upload_spools", []).append(spool)
        return spool


def close_spools(_exception=None) -> None:
    for spool in g.pop("upload_spools", []):
        spool.close()
