"""Data rights as JSON (the same services as `data_rights/views.py`): what the service holds about
me, the export's zip, rectification."""
from __future__ import annotations

import re
from datetime import date

from flask import current_app, jsonify
from flask_babel import gettext as _
from flask_login import current_user

from .. import clock
from ..data_rights.forms import EMAIL_PATTERN
from ..data_rights.holdings import held
from ..data_rights.profile import rectify
from ..data_rights.views import export_response, rectified_from
from ..database import db
from . import blueprint
from .support import ApiError, authenticated, json_body, require_role

NAME_MAX = 100
EMAIL_MAX = 254


@blueprint.get("/me/data")
@authenticated
def my_data():
    return jsonify(held(db(), current_app.extensions["keys"], current_user, clock.now()))


@blueprint.get("/me/export")
@authenticated
def my_export():
    require_role("beneficiary")
    return export_response()


@blueprint.patch("/me/profile")
@authenticated
def rectify_profile():
    """All four fields, as they should be; `birth_date` and `email` may be null (an empty e-mail too)."""
    body = json_body(first_name=str, last_name=str, birth_date=(str, type(None)), email=(str, type(None)))
    names = [body[name].strip() for name in ("first_name", "last_name")]
    if not all(names) or max(len(body["first_name"]), len(body["last_name"])) > NAME_MAX:
        raise ApiError(422, "invalid_field", _("Écrivez votre prénom et votre nom (100 caractères au plus)."))
    birth_date = None
    if body["birth_date"] is not None:
        try:
            birth_date = date.fromisoformat(body["birth_date"])
        except ValueError:
            raise ApiError(422, "invalid_field", _("La date de naissance s'écrit AAAA-MM-JJ.")) from None
    email = (body["email"] or "").strip()
    if email and (len(email) > EMAIL_MAX or not re.fullmatch(EMAIL_PATTERN, email)):
        raise ApiError(422, "invalid_field", _("Cette adresse e-mail ne semble pas juste."))
    changed = rectify(db(), current_user, rectified_from(names[0], names[1], birth_date, email))
    db().commit()
    return jsonify({"changed": changed, "profile": held(db(), current_app.extensions["keys"], current_user,
                                                        clock.now())["profile"]})
