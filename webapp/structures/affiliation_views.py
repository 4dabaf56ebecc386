"""Pages of the affiliation workflow, without JavaScript:

- for professionals and managers (`/relais/<structure>/…`): open a beneficiary account with the
  person present, search for an existing one, ask for an affiliation and have the person confirm
  it (SMS code, their own account, or their secret answer), end it;
- for beneficiaries ("Mes Relais", `/mes-relais/`): every affiliation, accept or decline a
  request, consent to contributions, end one.

A structure or a person one may not act for answers 404, whatever the reason.
"""
from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from ..accounts.errors import AccountError, WeakPassword
from ..accounts.messages import password_problem_message
from ..clock import now
from ..database import db
from ..extensions import limiter
from ..sessions_setup import current_vault
from ..sms.codes import CodeError, OneTimeCodes
from ..sms.errors import SmsError
from . import affiliations, beneficiaries
from .affiliation_forms import QUESTIONS, AnswerForm, BeneficiaryForm, CodeForm, ConsentForm, SearchForm, check_birth_date
from .affiliation_messages import affiliation_error_message, state_for_beneficiary, state_for_professional
from .errors import BeneficiaryNotFound, DuplicateAccount, StructureError, StructureNotFound
from .services import STAFF_ROLES, Actor, structure_for

blueprint = Blueprint("affiliations", __name__, url_prefix="/relais")
mine = Blueprint("my_structures", __name__, url_prefix="/mes-relais")
SEARCH_LIMIT = "30 per hour"
CREATE_LIMIT = "30 per hour"


def actor() -> Actor:
    opened = current_vault()
    return Actor(current_user.id, opened.identity_version, opened.identity)


def keys():
    return current_app.extensions["keys"]


def role_only(*roles: str):
    def decorate(view):
        @wraps(view)
        @login_required
        def checked(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            try:
                return view(*args, **kwargs)
            except (StructureNotFound, BeneficiaryNotFound):
                abort(404)

        return checked

    return decorate


# Opening an account with the person present

@blueprint.route("/<structure_id>/beneficiaires/nouveau", methods=["GET", "POST"])
@limiter.limit(CREATE_LIMIT, methods=["POST"])
@role_only(*STAFF_ROLES)
def new_beneficiary(structure_id: str):
    structure = structure_for(db(), current_user.id, structure_id)
    form = BeneficiaryForm()
    duplicates: list[str] = []
    if form.is_submitted():
        valid = form.validate_on_submit()
        if check_birth_date(form, now().date(), required=True) and valid:
            new = beneficiaries.NewBeneficiary(form.first_name.data.strip(), form.last_name.data.strip(),
                                               form.birth_date.parsed, form.password.data,
                                               form.secret_question.data.strip(), form.secret_answer.data)
            try:
                created = beneficiaries.create(db(), keys(), actor(), structure, new, now(),
                                               affiliate=form.affiliate.data, homonym=form.homonym.data)
            except DuplicateAccount as error:
                db().commit()  # the audit event of the catch
                duplicates = error.existing
            except WeakPassword as problem:
                db().rollback()
                form.password.errors.append(password_problem_message(problem.reason, "beneficiary"))
            else:
                db().commit()
                return render_template("affiliations/created.html", structure=structure, account=created.account,
                                       affiliation=created.affiliation, recovery_code=created.recovery_code)
    status = 409 if duplicates else 400 if form.is_submitted() else 200
    return render_template("affiliations/new_beneficiary.html", structure=structure, form=form, questions=QUESTIONS,
                           duplicates=duplicates, duplicate_message=affiliation_error_message(DuplicateAccount([])),
                           start_form=FlaskForm()), status


@blueprint.route("/<structure_id>/beneficiaires/recherche", methods=["GET", "POST"])
@limiter.limit(SEARCH_LIMIT, methods=["POST"])
@role_only(*STAFF_ROLES)
def search(structure_id: str):
    structure = structure_for(db(), current_user.id, structure_id)
    form = SearchForm()
    results = None
    problem = None
    if form.validate_on_submit() and check_birth_date(form, now().date(), required=False):
        identifier = (form.identifier.data or "").strip()
        first, last = (form.first_name.data or "").strip(), (form.last_name.data or "").strip()
        if identifier or (first and last and form.birth_date.parsed):
            found = beneficiaries.search(db(), current_user.id, structure, identifier=identifier or None,
                                         first_name=first, last_name=last, birth_date=form.birth_date.parsed)
            db().commit()
            results = [(account, affiliations.of_structure(db(), structure, account.id)) for account in found]
        else:
            problem = _("Écrivez l'identifiant, ou bien le prénom, le nom et la date de naissance ensemble.")
    status = 400 if form.is_submitted() and results is None else 200
    return render_template("affiliations/search.html", structure=structure, form=form, results=results,
                           problem=problem, state=state_for_professional, start_form=FlaskForm()), status


# One person's affiliation, from the structure's side

@blueprint.get("/<structure_id>/rattachements/<beneficiary_id>")
@role_only(*STAFF_ROLES)
def show(structure_id: str, beneficiary_id: str):
    return _affiliation_page(structure_id, beneficiary_id)


def _affiliation_page(structure_id: str, beneficiary_id: str, *, code_form=None, answer_form=None, status=200):
    structure = structure_for(db(), current_user.id, structure_id)
    account = affiliations.beneficiary(db(), beneficiary_id)
    row = affiliations.of_structure(db(), structure, beneficiary_id)
    waiting_code = affiliations.pending_code(OneTimeCodes.for_app(db()), structure, beneficiary_id, now())
    has_answer = any(bundle.factor == "answer" for bundle in account.bundles)
    return render_template("affiliations/show.html", structure=structure, account=account, affiliation=row,
                           state=state_for_professional(row.status if row else None), waiting_code=waiting_code,
                           has_phone=bool(account.person and account.person.phone), has_answer=has_answer,
                           code_form=code_form or CodeForm(formdata=None),
                           answer_form=answer_form or AnswerForm(formdata=None), form=FlaskForm()), status


def _back(structure_id: str, beneficiary_id: str):
    return redirect(url_for("affiliations.show", structure_id=structure_id, beneficiary_id=beneficiary_id))


@blueprint.post("/<structure_id>/rattachements/<beneficiary_id>/demander")
@role_only(*STAFF_ROLES)
def start(structure_id: str, beneficiary_id: str):
    FlaskForm().validate_on_submit() or abort(400)
    structure = structure_for(db(), current_user.id, structure_id)
    try:
        affiliations.start(db(), structure, beneficiary_id, current_user.id, now())
    except StructureError as error:
        db().rollback()
        flash(affiliation_error_message(error))
    else:
        db().commit()
        flash(_("La demande est faite. La personne la confirme maintenant, de l'une des façons ci-dessous."))
    return _back(structure.id, beneficiary_id)


@blueprint.post("/<structure_id>/rattachements/<beneficiary_id>/code/envoyer")
@role_only(*STAFF_ROLES)
def send_code(structure_id: str, beneficiary_id: str):
    FlaskForm().validate_on_submit() or abort(400)
    structure = structure_for(db(), current_user.id, structure_id)
    try:
        affiliations.send_code(db(), OneTimeCodes.for_app(db()), structure, beneficiary_id, current_user.id, now())
    except (StructureError, CodeError, SmsError) as error:
        db().rollback()
        flash(affiliation_error_message(error))
    else:
        flash(_("Un code a été envoyé par SMS au portable de la personne. Elle vous le donne si elle est d'accord."))
    return _back(structure.id, beneficiary_id)


@blueprint.post("/<structure_id>/rattachements/<beneficiary_id>/code")
@role_only(*STAFF_ROLES)
def confirm_code(structure_id: str, beneficiary_id: str):
    form = CodeForm()
    structure = structure_for(db(), current_user.id, structure_id)
    if not form.validate_on_submit():
        return _affiliation_page(structure_id, beneficiary_id, code_form=form, status=400)
    try:
        affiliations.confirm_by_code(db(), OneTimeCodes.for_app(db()), structure, beneficiary_id, form.code.data,
                                     current_user.id, now())
    except (StructureError, CodeError) as error:
        db().commit()  # a spent try stays spent
        form.code.errors.append(affiliation_error_message(error))
        return _affiliation_page(structure_id, beneficiary_id, code_form=form, status=400)
    db().commit()
    flash(state_for_professional(affiliations.CONFIRMED))
    return _back(structure.id, beneficiary_id)


@blueprint.post("/<structure_id>/rattachements/<beneficiary_id>/reponse")
@role_only(*STAFF_ROLES)
def confirm_answer(structure_id: str, beneficiary_id: str):
    form = AnswerForm()
    structure = structure_for(db(), current_user.id, structure_id)
    if not form.validate_on_submit():
        return _affiliation_page(structure_id, beneficiary_id, answer_form=form, status=400)
    try:
        affiliations.confirm_by_answer(db(), keys(), structure, beneficiary_id, form.answer.data, current_user.id, now())
    except (StructureError, AccountError) as error:
        db().commit()  # the audit of the try; the key service already counted the guess
        form.answer.errors.append(affiliation_error_message(error))
        return _affiliation_page(structure_id, beneficiary_id, answer_form=_emptied(form), status=400)
    db().commit()
    flash(state_for_professional(affiliations.ACTIVE))
    return _back(structure.id, beneficiary_id)


def _emptied(form: AnswerForm) -> AnswerForm:
    """A refused answer is not typed back into the page: only its error stays."""
    form.answer.data = ""
    return form


@blueprint.route("/<structure_id>/rattachements/<beneficiary_id>/terminer", methods=["GET", "POST"])
@role_only(*STAFF_ROLES)
def end(structure_id: str, beneficiary_id: str):
    structure = structure_for(db(), current_user.id, structure_id)
    account = affiliations.beneficiary(db(), beneficiary_id)
    row = affiliations.of_structure(db(), structure, beneficiary_id)
    if row is None or row.status == affiliations.ENDED:
        abort(404)
    form = FlaskForm()
    if form.validate_on_submit():
        affiliations.end(db(), keys(), row, actor(), now())
        db().commit()
        flash(_("Le rattachement est terminé. Le compte de la personne reste ouvert ; ce Relais ne voit plus ce "
                "qu'elle partagera."))
        return _back(structure.id, beneficiary_id)
    return render_template("affiliations/end.html", structure=structure, account=account, form=form,
                           action=url_for("affiliations.end", structure_id=structure.id, beneficiary_id=beneficiary_id),
                           back=url_for("affiliations.show", structure_id=structure.id, beneficiary_id=beneficiary_id))


# "Mes Relais"

@mine.get("/")
@role_only("beneficiary")
def index():
    return render_template("affiliations/mine.html", rows=affiliations.of_beneficiary(db(), current_user.id),
                           state=state_for_beneficiary, form=FlaskForm())


def _mine_action(structure_id: str, action, done: str):
    FlaskForm().validate_on_submit() or abort(400)
    try:
        action()
    except StructureError as error:
        db().rollback()
        flash(affiliation_error_message(error))
    else:
        db().commit()
        flash(done)
    return redirect(url_for("my_structures.index"))


@mine.post("/<structure_id>/accepter")
@role_only("beneficiary")
def accept(structure_id: str):
    return _mine_action(structure_id, lambda: affiliations.accept(db(), keys(), actor(), structure_id, now()),
                        _("C'est fait : ce Relais voit maintenant ce que vous partagez."))


@mine.post("/<structure_id>/refuser")
@role_only("beneficiary")
def decline(structure_id: str):
    return _mine_action(structure_id, lambda: affiliations.decline(db(), current_user.id, structure_id, now()),
                        _("La demande est refusée. Ce Relais ne voit rien de votre coffre."))


@mine.post("/<structure_id>/contributions")
@role_only("beneficiary")
def consent(structure_id: str):
    form = ConsentForm()
    form.validate_on_submit() or abort(400)
    consents = form.consents.data == "1"
    return _mine_action(structure_id, lambda: affiliations.set_consent(db(), current_user.id, structure_id, consents),
                        _("Ce Relais peut maintenant ajouter des documents à votre partage.") if consents
                        else _("Ce Relais ne peut plus rien ajouter à votre partage."))


@mine.route("/<structure_id>/terminer", methods=["GET", "POST"])
@role_only("beneficiary")
def end_mine(structure_id: str):
    try:
        structure, row = affiliations.mine(db(), current_user.id, structure_id)
    except StructureError:
        abort(404)
    if row.status == affiliations.ENDED:
        abort(404)
    form = FlaskForm()
    if form.validate_on_submit():
        me = actor()
        affiliations.end(db(), keys(), row, me, now(), owner=me)
        db().commit()
        flash(_("C'est terminé : %(name)s ne verra plus rien de ce que vous partagerez. Vos documents restent à vous.",
                name=structure.name))
        return redirect(url_for("my_structures.index"))
    return render_template("affiliations/end.html", structure=structure, account=None, form=form,
                           action=url_for("my_structures.end_mine", structure_id=structure.id),
                           back=url_for("my_structures.index"))
