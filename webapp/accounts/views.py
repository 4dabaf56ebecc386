"""The accounts pages: log in, log out, terms of service, change of password, language."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import text

from ..database import db
from ..extensions import limiter
from ..redirects import local_path
from ..security import LANGUAGE_COOKIE, LANGUAGES
from ..sessions_setup import begin, current_vault, end
from ..structures.errors import StructureKeysInvalid
from ..structures.login import on_login
from ..structures.messages import structure_keys_message
from . import services
from .errors import AccountSuspended, InvalidCredentials, TooManyAttempts, WeakPassword
from .forms import ChangePasswordForm, LoginForm, TermsForm
from .messages import (
    invalid_credentials_message,
    password_problem_message,
    suspended_message,
    too_many_attempts_message,
)

blueprint = Blueprint("accounts", __name__)


@blueprint.get("/healthz")
def health():
    """For the load balancer: the database answers."""
    db().execute(text("SELECT 1"))
    return {"status": "ok"}


@blueprint.get("/")
def home():
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login"))
    return render_template("home.html")


@blueprint.route("/connexion", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("accounts.home"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            unlocked = services.authenticate(db(), keys(), form.identifier.data, form.password.data)
        except InvalidCredentials:
            db().commit()
            form.password.errors.append(invalid_credentials_message())
            status = 401
        except TooManyAttempts:
            form.password.errors.append(too_many_attempts_message())
            status = 429
        except AccountSuspended:
            db().commit()
            form.password.errors.append(suspended_message())
            status = 403
        else:
            try:
                on_login(db(), keys(), unlocked.account, unlocked.identity)
            except StructureKeysInvalid:
                db().commit()
                form.password.errors.append(structure_keys_message())
                return render_template("login.html", form=form, expired=False), 403
            begin(unlocked.account, unlocked.identity)
            db().commit()
            return redirect(url_for("accounts.home"))
    elif form.is_submitted():
        status = 400
    return render_template("login.html", form=form, expired=request.args.get("raison") == "inactivite"), status


@blueprint.post("/deconnexion")
def logout():
    end()
    flash(_("Vous êtes déconnecté. À bientôt."))
    return redirect(url_for("accounts.login"))


@blueprint.get("/session-expiree")
def session_expired():
    end()
    return redirect(url_for("accounts.login", raison="inactivite"))


@blueprint.post("/session/prolonger")
@login_required
def keep_alive():
    return "", 204


@blueprint.route("/conditions", methods=["GET", "POST"])
@login_required
def terms():
    terms = services.current_terms(db())
    form = TermsForm(version=str(terms.version) if terms else "")
    if form.validate_on_submit() and terms is not None:
        services.accept_terms(db(), current_user, terms.version)
        db().commit()
        return redirect(url_for("accounts.home"))
    return render_template("terms.html", form=form, terms=terms), 400 if form.is_submitted() else 200


@blueprint.route("/mot-de-passe", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    forced = current_user.must_change_password
    if form.validate_on_submit():
        if not forced and not _current_password_is_right(form.current_password.data):
            form.current_password.errors.append(_("Ce n'est pas votre mot de passe actuel."))
        else:
            try:
                services.change_password(db(), keys(), _unlocked(), form.new_password.data)
            except WeakPassword as problem:
                form.new_password.errors.append(password_problem_message(problem.reason, current_user.role))
            else:
                db().commit()
                flash(_("Votre mot de passe est changé."))
                return redirect(url_for("accounts.home"))
    status = 400 if form.is_submitted() else 200
    return render_template("change_password.html", form=form, forced=forced), status


@blueprint.get("/langue/<code>")
def language(code: str):
    response = redirect(local_path(request.args.get("suite")))
    if code in LANGUAGES:
        response.set_cookie(LANGUAGE_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response


def keys():
    return current_app.extensions["keys"]


def _unlocked() -> services.Unlocked:
    return services.Unlocked(current_user, current_vault().identity)


def _current_password_is_right(password: str) -> bool:
    try:
        services.authenticate(db(), keys(), current_user.identifier, password or "")
    except (InvalidCredentials, TooManyAttempts):
        return False
    return True
