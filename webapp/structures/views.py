"""Structure pages: the public application form (R1), and the Relais page where a manager sees and
manages its members (R3, R15) and a professional asks for the deletion of their account.

Every page works without JavaScript. A structure someone may not act for answers 404, whatever
the reason, so its existence is not told. The manager's actions that cannot be taken back (remove a
member, delete a professional's account, refuse a deletion request) first show a page saying what
will happen (GET); the same address performs it (POST).
"""
from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from ..accounts.models import Person
from ..database import db
from ..extensions import limiter
from ..requests import application_id
from ..sessions_setup import current_vault
from ..vault import uploads
from . import affiliations, applications
from .errors import KeysWaiting, ReviewUnavailable, StructureError, StructureNotFound
from .forms import KINDS, AddMemberForm, ApplicationForm, ProfessionalForm
from .messages import review_unavailable_message, structure_error_message
from .services import MANAGER, STAFF_ROLES, Actor, Structures, request_deletion, structure_for, structures_of

blueprint = Blueprint("structures", __name__, url_prefix="/relais")
CHOSEN = "structure"
APPLICATION_LIMIT = "5 per hour"


def actor() -> Actor:
    opened = current_vault()
    return Actor(current_user.id, opened.identity_version, opened.identity)


def staff_only(view):
    @wraps(view)
    @login_required
    def checked(*args, **kwargs):
        if current_user.role not in STAFF_ROLES:
            abort(403)
        try:
            return view(*args, **kwargs)
        except StructureNotFound:
            abort(404)

    return checked


@blueprint.app_context_processor
def structure_choice() -> dict:
    """The header's selector: the structures the logged-in staff member may act for."""
    def choices():
        if not current_user.is_authenticated or current_user.role not in STAFF_ROLES:
            return []
        return structures_of(db(), current_user.id)

    return {"staff_structures": choices, "chosen_structure": lambda: session.get(CHOSEN), "structure_kinds": dict(KINDS)}


# The public application

@blueprint.route("/candidature", methods=["GET", "POST"])
@limiter.limit(APPLICATION_LIMIT, methods=["POST"])
def apply():
    form = ApplicationForm()
    problems: list[str] = []
    if request.method == "POST":
        files = [f for f in request.files.getlist("documents") if f.filename]
        accepted, problems = uploads.check_files(files)
        if not files:
            problems.append(_("Joignez au moins un justificatif (statuts, avis de situation SIRET, agrément…)."))
        elif len(files) > applications.MAX_DOCUMENTS:
            problems.append(_("Joignez au plus %(n)d documents.", n=applications.MAX_DOCUMENTS))
        if form.validate_on_submit() and not problems:
            try:
                applications.submit(db(), keys(), current_app.extensions["blobs"], application_id(),
                                    application_fields(form), accepted)
            except ReviewUnavailable:
                problems.append(review_unavailable_message())
            else:
                return redirect(url_for("structures.applied"))
    status = 400 if request.method == "POST" else 200
    return render_template("structures/apply.html", form=form, problems=problems, kinds=KINDS,
                           max_documents=applications.MAX_DOCUMENTS), status


def application_fields(form: ApplicationForm) -> applications.ApplicationFields:
    return applications.ApplicationFields(**{name: form[name].data.strip() for name in applications.ApplicationFields.__annotations__})


@blueprint.get("/candidature/envoyee")
def applied():
    return render_template("structures/applied.html")


# The Relais page

@blueprint.get("/")
@staff_only
def index():
    mine = structures_of(db(), current_user.id)
    chosen = session.get(CHOSEN)
    if chosen not in {structure.id for structure in mine}:
        # A member just removed from the Relais they last chose is told they belong to none, not sent to a 404.
        chosen = mine[0].id if mine else None
    if chosen:
        return redirect(url_for("structures.show", structure_id=chosen))
    return render_template("structures/none.html")


@blueprint.post("/choisir")
@staff_only
def choose():
    FlaskForm().validate_on_submit() or abort(400)
    structure = structure_for(db(), current_user.id, request.form.get("structure_id", ""))
    session[CHOSEN] = structure.id
    return redirect(url_for("structures.show", structure_id=structure.id))


@blueprint.get("/<structure_id>")
@staff_only
def show(structure_id: str):
    structure = structure_for(db(), current_user.id, structure_id)
    session[CHOSEN] = structure.id
    service = Structures(db(), keys(), actor())
    is_manager = structure in structures_of(db(), current_user.id, MANAGER)
    members = service.members(structure) if is_manager else []
    beneficiaries = service.beneficiaries(structure) if is_manager else []
    return render_template("structures/show.html", structure=structure, is_manager=is_manager, members=members,
                           beneficiaries=beneficiaries, form=FlaskForm(), add_form=AddMemberForm(),
                           waiting_affiliations=affiliations.waiting(db(), structure))


@blueprint.route("/<structure_id>/professionnels/nouveau", methods=["GET", "POST"])
@staff_only
def new_professional(structure_id: str):
    structure = structure_for(db(), current_user.id, structure_id, MANAGER)
    form = ProfessionalForm()
    if form.validate_on_submit():
        person = Person(first_name=form.first_name.data.strip(), last_name=form.last_name.data.strip(),
                        email=(form.email.data or "").strip() or None)
        made = Structures(db(), keys(), actor()).create_professional(structure, person)
        db().commit()
        # The password is shown on this answer only: never stored in clear, never in a redirect.
        return render_template("structures/new_account.html", structure=structure, account=made.account,
                               password=made.password, role=made.account.role)
    return render_template("structures/new_professional.html", structure=structure, form=form), 400 if form.is_submitted() else 200


def _manager_action(structure_id: str, action, done: str):
    FlaskForm().validate_on_submit() or abort(400)
    structure = structure_for(db(), current_user.id, structure_id, MANAGER)
    try:
        action(Structures(db(), keys(), actor()), structure)
    except KeysWaiting as error:  # the manager's own access waits: say so rather than answer 404
        db().rollback()
        flash(structure_error_message(error))
    except StructureNotFound:
        raise
    except StructureError as error:
        db().rollback()
        flash(structure_error_message(error))
    else:
        db().commit()
        flash(done)
    return redirect(url_for("structures.show", structure_id=structure.id))


@blueprint.post("/<structure_id>/membres/ajouter")
@staff_only
def add_member(structure_id: str):
    form = AddMemberForm()
    if not form.validate_on_submit():
        flash(_("Écrivez son identifiant."))
        return redirect(url_for("structures.show", structure_id=structure_id))
    return _manager_action(structure_id, lambda service, structure: service.add_existing(structure, form.identifier.data),
                           _("Cette personne fait maintenant partie du Relais."))


@blueprint.route("/<structure_id>/membres/<account_id>/retirer", methods=["GET", "POST"])
@staff_only
def remove_member(structure_id: str, account_id: str):
    if request.method == "GET":
        structure, member = _member(structure_id, account_id)
        name = _name(member)
        return _confirm(structure, _("Retirer %(name)s du Relais ?", name=name), [
            _("%(name)s ne pourra plus agir pour %(structure)s ni voir ce que les personnes accompagnées partagent "
              "avec le Relais.", name=name, structure=structure.name),
            _("Les clés du Relais seront renouvelées ; pour revenir, il faudra l'ajouter à nouveau."),
            _("Son compte reste ouvert."),
        ], _("Oui, retirer du Relais"))
    return _manager_action(structure_id, lambda service, structure: service.remove_member(structure, account_id),
                           _("Cette personne ne fait plus partie du Relais. Les clés du Relais ont été renouvelées."))


@blueprint.route("/<structure_id>/membres/<account_id>/supprimer", methods=["GET", "POST"])
@staff_only
def delete_account(structure_id: str, account_id: str):
    if request.method == "GET":
        structure, member = _member(structure_id, account_id, role="professional")
        name = _name(member)
        return _confirm(structure, _("Supprimer le compte de %(name)s ?", name=name), [
            _("Le compte %(identifier)s sera supprimé : %(name)s ne pourra plus se connecter.",
              identifier=member.account.identifier, name=name),
            _("Cette personne ne fera plus partie du Relais, dont les clés seront renouvelées."),
            _("Cela ne peut pas être annulé. Les documents des personnes accompagnées restent à elles."),
        ], _("Oui, supprimer le compte"))
    return _manager_action(structure_id, lambda service, structure: service.delete_professional(structure, account_id),
                           _("Le compte est supprimé."))


@blueprint.route("/<structure_id>/demandes/<account_id>/refuser", methods=["GET", "POST"])
@staff_only
def refuse_deletion(structure_id: str, account_id: str):
    if request.method == "GET":
        structure, member = _member(structure_id, account_id, deletion_requested=True)
        name = _name(member)
        return _confirm(structure, _("Refuser la demande de suppression de %(name)s ?", name=name), [
            _("Le compte de %(name)s reste ouvert et cette personne reste dans le Relais.", name=name),
            _("Sa demande sera effacée ; elle pourra en faire une nouvelle."),
            _("Si cette personne quitte le Relais, son compte doit être supprimé."),
        ], _("Oui, refuser la demande"))
    return _manager_action(structure_id, lambda service, structure: service.refuse_deletion(structure, account_id),
                           _("La demande de suppression est refusée. Le compte reste ouvert."))


def _member(structure_id: str, account_id: str, role: str | None = None, deletion_requested: bool = False):
    """The structure (managed by the current account) and one of its members; 404 otherwise."""
    structure = structure_for(db(), current_user.id, structure_id, MANAGER)
    for member in Structures(db(), keys(), actor()).members(structure):
        if member.account.id == account_id and role in (None, member.role) and member.deletion_requested >= deletion_requested:
            return structure, member
    abort(404)


def _name(member) -> str:
    person = member.account.person
    return f"{person.first_name} {person.last_name}".strip() if person else member.account.identifier


def _confirm(structure, question: str, consequences: list[str], yes: str):
    return render_template("confirm.html", question=question, consequences=consequences, yes=yes, action=request.path,
                           back=url_for("structures.show", structure_id=structure.id))


@blueprint.post("/<structure_id>/demande-de-suppression")
@staff_only
def ask_deletion(structure_id: str):
    FlaskForm().validate_on_submit() or abort(400)
    structure = structure_for(db(), current_user.id, structure_id)
    if current_user.role != "professional":
        abort(403)
    request_deletion(db(), current_user, structure)
    db().commit()
    flash(_("Votre demande est envoyée au gestionnaire du Relais."))
    return redirect(url_for("structures.show", structure_id=structure.id))


def keys():
    return current_app.extensions["keys"]
