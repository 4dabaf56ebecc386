"""The app's request class: where uploaded files go while the form is parsed.

On the upload endpoints each file is encrypted as it arrives (`vault/uploads.py`): under the
logged-in account's id (a professional's contribution: the beneficiary's), or, on the public structure application, under the new application's id
with smaller limits (`structures/applications.py`). Everywhere else a file part is refused, so no
uploaded plaintext is ever spooled to the server's disk, and bodies are limited to 1 MiB.
"""
from __future__ import annotations

from flask import Request, current_app, g
from flask_login import current_user
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import BadRequest

# A professional's contribution is encrypted for the beneficiary the URL names; the view checks the
# affiliation before anything is stored, and a refused spool is dropped with its random key.
CONTRIBUTION_ENDPOINTS = frozenset({"shared_part.upload", "api.add_shared_documents"})
UPLOAD_ENDPOINTS = frozenset({"vault.upload", "api.upload_documents"}) | CONTRIBUTION_ENDPOINTS
APPLICATION_ENDPOINTS = frozenset({"structures.apply", "api.submit_structure_application"})
APPLICATION_FILE_BYTES = 10 * 1000 * 1000
APPLICATION_REQUEST_BYTES = 6 * APPLICATION_FILE_BYTES  # five documents and the form
OTHER_REQUEST_BYTES = 1024 * 1024


class VaultRequest(Request):
    @property
    def max_content_length(self) -> int:
        if self.endpoint in UPLOAD_ENDPOINTS:
            return current_app.config["MAX_CONTENT_LENGTH"]
        if self.endpoint in APPLICATION_ENDPOINTS:
            return APPLICATION_REQUEST_BYTES
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

        if self.endpoint in APPLICATION_ENDPOINTS:
            spool = EncryptingSpool(application_id(), APPLICATION_FILE_BYTES)
        elif self.endpoint in UPLOAD_ENDPOINTS and current_user.is_authenticated:
            owner = (self.view_args or {}).get("beneficiary_id", "") if self.endpoint in CONTRIBUTION_ENDPOINTS else current_user.id
            spool = EncryptingSpool(owner, current_app.config["UPLOAD_LIMIT_BYTES"])
        else:
            raise BadRequest()
        g.setdefault("upload_spools", []).append(spool)
        return spool


def application_id() -> str:
    """The id of the application this request submits: its documents are encrypted under it."""
    from .db import new_id

    if "application_id" not in g:
        g.application_id = new_id()
    return g.application_id


def close_spools(_exception=None) -> None:
    for spool in g.pop("upload_spools", []):
        spool.close()
