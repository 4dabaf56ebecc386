"""The administrators' deletion pages (R15): managers' requests to validate or refuse with a reason,
and the deletion of a beneficiary's account when the person asks the platform (by mail, phone, at
a desk) or for another recorded ground. Each irreversible step shows what will happen first."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from .. import clock
from ..accounts.deletion import delete_beneficiary, what_goes
from ..accounts.models import Account
from ..accounts.services import normalise_identifier
from ..database import db
from ..errors import error_response
from ..sms.phones import display
from ..structures import departures
from ..structures.errors import LastManager, MemberNotFound
from ..structures.views import actor
from . import admin_only

blueprint = Blueprint("admin_deletions", __name__, url_prefix="/admin/suppressions")
GROUND_LABELS = (SelectChoice("request", _l("La personne l'a demandé (courrier, téléphone, accueil)")),
                 SelectChoice("death", _l("Le décès de la personne a été signalé et vérifié")),
                 SelectChoice("court", _l("Une décision de justice le demande")))


class RefuseForm(FlaskForm):
    reason = TextAreaField(_l("Pourquoi refusez-vous ? Le gestionnaire lira ce texte."),
                           validators=[DataRequired(_l("Écrivez la raison.")), Length(max=departures.MAX_REASON)])


class FindForm(FlaskForm):
    class Meta:
        csrf = False  # a search that changes nothing

    identifiant = StringField(_l("Identifiant de la personne accompagnée"),
                              validators=[DataRequired(_l("Écrivez l'identifiant."))])


class DeleteBeneficiaryForm(FlaskForm):
    ground = RadioField(_l("Pourquoi supprimer ce compte ?"), choices=GROUND_LABELS,
                        validators=[DataRequired(_l("Choisissez une raison."))])
    confirm = BooleanField(_l("J'ai vérifié qu'il s'agit de la bonne personne ; tout sera effacé pour toujours"),
                           validators=[DataRequired(_l("Cochez la case pour supprimer le compte."))])


@blueprint.errorhandler(MemberNotFound)
def unknown(_error):
    return error_response(404)


@blueprint.get("/")
@admin_only
def index():
    return render_template("admin/deletions/index.html", requests=departures.manager_requests(db()),
                           find=FindForm(formdata=None))


@blueprint.route("/gestionnaires/<account_id>/valider", methods=["GET", "POST"])
@admin_only
def validate(account_id: str):
    found = departures.manager_request(db(), account_id)
    if request.method == "POST":
        FlaskForm().validate_on_submit() or abort(400)
        try:
            departures.validate(db(), current_app.extensions["keys"], actor(), account_id)
        except LastManager:
            db().rollback()
        else:
            db().commit()
            flash(_("Le compte du gestionnaire est supprimé. Les clés de ses Relais seront renouvelées à la "
                    "prochaine connexion d'un de leurs membres."))
            return redirect(url_for(".index"))
    return render_template("admin/deletions/validate.html", request=found, form=FlaskForm())


@blueprint.route("/gestionnaires/<account_id>/refuser", methods=["GET", "POST"])
@admin_only
def refuse(account_id: str):
    found = departures.manager_request(db(), account_id)
    form = RefuseForm()
    if form.validate_on_submit():
        departures.refuse(db(), actor().id, account_id, form.reason.data)
        db().commit()
        flash(_("La demande est refusée. Le gestionnaire lira votre raison."))
        return redirect(url_for(".index"))
    return render_template("admin/deletions/refuse.html", request=found, form=form), 400 if form.errors else 200


@blueprint.get("/personnes")
@admin_only
def find():
    form = FindForm(request.args)
    account = None
    if form.validate():
        account = _beneficiary_by_identifier(form.identifiant.data)
        if account is None:
            form.identifiant.errors.append(_("Aucune personne accompagnée ne porte cet identifiant."))
    if account is None:
        return render_template("admin/deletions/index.html", requests=departures.manager_requests(db()),
                               find=form), 400 if request.args else 200
    return redirect(url_for(".delete_beneficiary_account", account_id=account.id))


@blueprint.route("/personnes/<account_id>", methods=["GET", "POST"])
@admin_only
def delete_beneficiary_account(account_id: str):
    account = db().get(Account, account_id)
    if account is None or account.role != "beneficiary" or account.status not in ("active", "suspended"):
        abort(404)
    form = DeleteBeneficiaryForm()
    if form.validate_on_submit():
        delete_beneficiary(db(), current_app.extensions["keys"], current_app.extensions["blobs"], account,
                           actor_id=actor().id, reason="platform", ground=form.ground.data)
        flash(_("Le compte est supprimé."))
        return redirect(url_for(".index"))
    losses = what_goes(db(), account, clock.now())
    return render_template("admin/deletions/beneficiary.html", account=account, losses=losses,
                           phone=display(losses.phone), form=form), 400 if form.is_submitted() else 200


def _beneficiary_by_identifier(identifier: str) -> Account | None:
    return db().scalar(select(Account).where(Account.identifier == normalise_identifier(identifier),
                                             Account.role == "beneficiary", Account.status.in_(("active", "suspended"))))
