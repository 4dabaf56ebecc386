"""Error pages and API errors, in plain words and in the user's language.

Every error has a stable code for the API (`{"error": {"code", "message"}}`) and a page for the
browser. Nothing from the request is echoed back, and 500s log the exception type only: a traceback
may hold request values.
"""
from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException

from keyservice.errors import KeyServiceUnavailable

from .storage import BlobStoreError
from .vault.errors import InvalidItem
from .vault.uploads import FileTooLarge

log = logging.getLogger(__name__)


def messages() -> dict[int, tuple[str, str, str]]:
    return {
        400: ("bad_request", _("Demande incorrecte"), _("Cette demande n'a pas pu être comprise. Réessayez.")),
        401: ("unauthorized", _("Connexion nécessaire"), _("Connectez-vous pour continuer.")),
        403: ("forbidden", _("Accès refusé"), _("Vous n'avez pas accès à cette page.")),
        404: ("not_found", _("Page introuvable"), _("Cette page n'existe pas, ou plus.")),
        405: ("method_not_allowed", _("Action impossible"), _("Cette action n'est pas possible ici.")),
        413: ("too_large", _("Fichier trop gros"), _("Ce que vous envoyez est trop gros. Essayez avec un fichier plus petit.")),
        415: ("unsupported_media_type", _("Format non accepté"), _("Ce format n'est pas accepté.")),
        422: ("unprocessable", _("Données refusées"), _("Ce qui a été envoyé ne convient pas. Vérifiez et réessayez.")),
        429: ("rate_limited", _("Trop d'essais"), _("Trop d'essais en peu de temps. Attendez quelques minutes, puis réessayez.")),
        500: ("internal", _("Une erreur est survenue"), _("Une erreur est survenue de notre côté. Rien n'a été perdu : réessayez dans un moment.")),
        503: ("unavailable", _("Service indisponible"), _("Le service est momentanément indisponible. Réessayez dans un moment.")),
    }


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(status: int, code: str | None = None, message: str | None = None):
    default_code, title, default_message = messages().get(status, messages()[500])
    if wants_json():
        body = {"error": {"code": code or default_code, "message": message or default_message}}
        return jsonify(body), status
    return render_template("errors/error.html", title=title, message=message or default_message), status


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_failed(_error):
        return error_response(400, "csrf_failed", _("Le formulaire a expiré. Rechargez la page et réessayez."))

    @app.errorhandler(FileTooLarge)
    def file_too_large(_error):
        limit_mb = app.config["UPLOAD_LIMIT_BYTES"] // 1_000_000
        return error_response(413, "file_too_large", _("Un fichier dépasse %(n)d Mo. Rien n'a été ajouté : "
                                                      "essayez avec un fichier plus petit.", n=limit_mb))

    @app.errorhandler(InvalidItem)
    def invalid_item(_error):
        return error_response(400)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return error_response(error.code or 500)

    @app.errorhandler(DBAPIError)
    @app.errorhandler(KeyServiceUnavailable)
    @app.errorhandler(BlobStoreError)
    def backend_down(error: Exception):
        """A database, key-service or blob-store failure mid-request: nothing half-written, a clear answer."""
        from .database import db

        db().rollback()
        log.error("backend failure %s on %s %s", type(error).__name__, request.method, request.endpoint)
        return error_response(503)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        from .database import db

        db().rollback()  # no partial write survives a failed request
        log.error("unhandled %s on %s %s", type(error).__name__, request.method, request.endpoint)
        return error_response(500)
