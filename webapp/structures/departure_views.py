"""A manager asks the platform to delete their account (`departures.py`): what will happen, whether
a request waits, and the platform's reason when it refused the last one."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from ..accounts.models import Account
from ..database import db
from . import departures
from .errors import MemberNotFound
from .models import Membership
from .services import MANAGER, PROFESSIONAL, structure_for
from .views import actor, staff_only

blueprint = Blueprint("departures", __name__, url_prefix="/compte/suppression")
managers = Blueprint("managers", __name__, url_prefix="/relais")


@blueprint.route("/", methods=["GET", "POST"])
@login_required
def ask():
    if current_user.role != "manager":
        abort(403)
    form = FlaskForm()
    if form.validate_on_submit():
        try:
            departures.ask(db(), current_user)
        except MemberNotFound:
            abort(404)
        db().commit()
        flash(_("Votre demande est envoyée à l'équipe de Cloud Solidaire."))
        return redirect(url_for(".ask"))
    return render_template("departures/ask.html", form=form, request=departures.request_of(db(), current_user),
                           waiting=departures.pending(db(), current_user.id),
                           refusal=departures.last_refusal(db(), current_user.id))


@managers.route("/<structure_id>/membres/<account_id>/gestionnaire", methods=["GET", "POST"])
@staff_only
def name_manager(structure_id: str, account_id: str):
    structure = structure_for(db(), current_user.id, structure_id, MANAGER)
    membership = db().get(Membership, (structure.id, account_id))
    if membership is None or membership.role != PROFESSIONAL:
        abort(404)
    back = url_for("structures.show", structure_id=structure.id)
    if request.method == "GET":
        person = db().get(Account, account_id).person
        name = f"{person.first_name} {person.last_name}" if person else db().get(Account, account_id).identifier
        return render_template("confirm.html", question=_("Nommer %(name)s gestionnaire du Relais ?", name=name),
                               consequences=[
                                   _("%(name)s pourra créer des comptes, ajouter et retirer des membres de %(structure)s.",
                                     name=name, structure=structure.name),
                                   _("Un Relais qui a deux gestionnaires peut continuer si l'un d'eux part."),
                               ], yes=_("Oui, nommer gestionnaire"), action=request.path, back=back)
    FlaskForm().validate_on_submit() or abort(400)
    try:
        departures.name_manager(db(), actor(), structure, account_id)
    except MemberNotFound:
        abort(404)
    db().commit()
    flash(_("Cette personne est maintenant gestionnaire du Relais."))
    return redirect(back)
