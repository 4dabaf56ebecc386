"""Pages of staff recovery (`staff_recovery.py`), without JavaScript:

- a manager gives a member of their Relais a new password (`/relais/<structure>/membres/<account>/…`);
- a platform administrator sees a Relais's managers and gives its last manager a new password
  (`/admin/relais/<structure>/gestionnaires`);
- a member whose access to a Relais waits for a re-wrap is told so on their home and Relais pages.

Each reset first shows what will happen (GET); the same address performs it (POST) and shows the
temporary password on that answer only: never stored in clear, never in a redirect.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from ..admin import admin_only
from ..database import db
from ..errors import error_response
from . import staff_recovery
from .errors import KeysWaiting, MemberNotFound, NotLastManager, StructureNotFound
from .messages import structure_error_message
from .services import MANAGER, STAFF_ROLES, structure_for
from .views import actor, keys, staff_only

blueprint = Blueprint("staff_recovery", __name__, url_prefix="/relais")
admin = Blueprint("admin_staff_recovery", __name__, url_prefix="/admin/relais")


@blueprint.app_context_processor
def waiting_keys() -> dict:
    """For the home and Relais pages: the Relais whose keys wait for the logged-in member."""
    def waiting():
        if not current_user.is_authenticated or current_user.role not in STAFF_ROLES:
            return []
        return staff_recovery.waiting_structures(db(), current_user)

    return {"waiting_relais": waiting}


# A manager resets a member

@blueprint.route("/<structure_id>/membres/<account_id>/nouveau-mot-de-passe", methods=["GET", "POST"])
@staff_only
def reset(structure_id: str, account_id: str):
    structure = structure_for(db(), current_user.id, structure_id, MANAGER)
    if account_id == current_user.id:
        abort(404)
    try:
        member = staff_recovery.member_of(db(), structure, account_id)
    except MemberNotFound:
        abort(404)
    back = url_for("structures.show", structure_id=structure.id)
    if request.method == "GET":
        name = person_name(member)
        return render_template("confirm.html", question=_("Donner un nouveau mot de passe à %(name)s ?", name=name),
                               consequences=_consequences(name) + [
                                   _("Si %(name)s travaille aussi pour d'autres Relais, son accès à leurs partages "
                                     "reviendra dès qu'un de leurs membres se connectera.", name=name)],
                               yes=_("Oui, donner un nouveau mot de passe"), action=request.path, back=back)
    FlaskForm().validate_on_submit() or abort(400)
    try:
        done = staff_recovery.reset_by_manager(db(), keys(), actor(), structure, account_id)
    except KeysWaiting as error:
        db().rollback()
        flash(structure_error_message(error))
        return redirect(back)
    db().commit()
    return render_template("structures/password_reset.html", account=done.account, password=done.password,
                           back=back, keys_renewed=False)


# A platform administrator resets a structure's last manager

@admin.errorhandler(StructureNotFound)
@admin.errorhandler(MemberNotFound)
def unknown(_error):
    return error_response(404)


@admin.get("/<structure_id>/gestionnaires")
@admin_only
def managers(structure_id: str):
    structure, rows = staff_recovery.managers(db(), structure_id)
    return render_template("admin/structures/managers.html", structure=structure, managers=rows)


@admin.route("/<structure_id>/gestionnaires/<account_id>/nouveau-mot-de-passe", methods=["GET", "POST"])
@admin_only
def reset_manager(structure_id: str, account_id: str):
    structure, rows = staff_recovery.managers(db(), structure_id)
    manager = next((row for row in rows if row.account.id == account_id), None)
    if manager is None:
        abort(404)
    back = url_for("admin_staff_recovery.managers", structure_id=structure.id)
    if not manager.last_manager:
        flash(structure_error_message(NotLastManager()))
        return redirect(back)
    if request.method == "GET":
        name = person_name(manager.account)
        keys_note = (_("Personne d'autre ne détient les clés de %(structure)s : de nouvelles clés seront créées. Ce que "
                       "chaque personne accompagnée partage avec le Relais lui sera de nouveau visible dès que cette "
                       "personne se connectera ; rien n'est perdu.", structure=structure.name)
                     if manager.renews_keys else
                     _("Son accès au partage des personnes accompagnées par %(structure)s reviendra dès qu'un autre "
                       "membre du Relais se connectera.", structure=structure.name))
        return render_template("confirm.html", question=_("Donner un nouveau mot de passe à %(name)s ?", name=name),
                               consequences=_consequences(name) + [keys_note],
                               yes=_("Oui, donner un nouveau mot de passe"), action=request.path, back=back)
    FlaskForm().validate_on_submit() or abort(400)
    try:
        done = staff_recovery.reset_last_manager(db(), keys(), actor(), structure.id, account_id)
    except NotLastManager as error:
        db().rollback()
        flash(structure_error_message(error))
        return redirect(back)
    db().commit()
    return render_template("structures/password_reset.html", account=done.account, password=done.password,
                           back=back, keys_renewed=done.keys_renewed)


def person_name(account) -> str:
    person = account.person
    return f"{person.first_name} {person.last_name}".strip() if person else account.identifier


def _consequences(name: str) -> list[str]:
    return [
        _("Un mot de passe provisoire sera affiché une seule fois, sur la page suivante : donnez-le à %(name)s en "
          "main propre.", name=name),
        _("À sa prochaine connexion, %(name)s devra choisir son propre mot de passe. Ses connexions en cours "
          "seront fermées.", name=name),
        _("%(name)s ne perd rien : son identifiant, ses Relais et ce que les personnes accompagnées partagent avec "
          "eux restent les siens.", name=name),
    ]
