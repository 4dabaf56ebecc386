"""Authentication and the account itself, as JSON."""
from __future__ import annotations

from flask import current_app, jsonify
from flask_login import current_user

from ..accounts import services
from ..accounts.errors import AccountSuspended, InvalidCredentials, TooManyAttempts, WeakPassword
from ..accounts.messages import (
    invalid_credentials_message,
    password_problem_message,
    suspended_message,
    too_many_attempts_message,
)
from ..database import db
from ..extensions import limiter
from ..sessions_setup import begin, current_vault, end
from ..structures.errors import StructureKeysInvalid
from ..structures.login import on_login
from ..structures.messages import structure_keys_message
from . import blueprint
from .support import ApiError, authenticated, json_body, keys, register_errors

register_errors(blueprint)


def account_json(account) -> dict:
    terms = services.current_terms(db())
    return {
        "id": account.id,
        "identifier": account.identifier,
        "role": account.role,
        "must_change_password": account.must_change_password,
        "terms_version_accepted": account.terms_version,
        "terms_version_current": terms.version if terms else None,
    }


@blueprint.post("/auth/login")
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"])
def login():
    body = json_body(identifier=str, password=str)
    try:
        unlocked = services.authenticate(db(), keys(), body["identifier"], body["password"])
    except InvalidCredentials:
        db().commit()
        raise ApiError(401, "invalid_credentials", invalid_credentials_message()) from None
    except TooManyAttempts:
        raise ApiError(429, "rate_limited", too_many_attempts_message()) from None
    except AccountSuspended:
        db().commit()
        raise ApiError(403, "account_suspended", suspended_message()) from None
    try:
        on_login(db(), keys(), unlocked.account, unlocked.identity)
    except StructureKeysInvalid:
        db().commit()
        raise ApiError(403, "structure_keys_invalid", structure_keys_message()) from None
    opened = begin(unlocked.account, unlocked.identity, via_api=True)
    db().commit()
    return jsonify({"token": opened.token, "account": account_json(unlocked.account)})


@blueprint.post("/auth/logout")
@authenticated
def logout():
    end()
    return jsonify({"status": "ok"})


@blueprint.get("/me")
@authenticated
def me():
    return jsonify(account_json(current_user))


@blueprint.get("/terms")
def terms():
    current = services.current_terms(db())
    if current is None:
        raise ApiError(404, "not_found")
    return jsonify({"version": current.version, "published_at": current.published_at.isoformat(), "text": current.text})


@blueprint.post("/me/terms")
@authenticated
def accept_terms():
    body = json_body(version=int)
    try:
        services.accept_terms(db(), current_user, body["version"])
    except ValueError:
        raise ApiError(409, "terms_outdated") from None
    db().commit()
    return jsonify(account_json(current_user))


@blueprint.post("/me/password")
@authenticated
def change_password():
    body = json_body(current_password=str, new_password=str)
    if not current_user.must_change_password:
        try:
            services.authenticate(db(), keys(), current_user.identifier, body["current_password"])
        except (InvalidCredentials, TooManyAttempts):
            raise ApiError(403, "wrong_password") from None
    try:
        services.change_password(db(), keys(), services.Unlocked(current_user, current_vault().identity), body["new_password"])
    except WeakPassword as problem:
        raise ApiError(422, "weak_password", password_problem_message(problem.reason, current_user.role)) from None
    db().commit()
    return jsonify(account_json(current_user))
