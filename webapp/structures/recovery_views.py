""""Mot de passe perdu" on a professional's page for an affiliated beneficiary
(`/relais/<structure>/rattachements/<beneficiary>/mot-de-passe-perdu`): the ways back in, explained.

Here, with the person present: they type their secret answer and a new password on the
professional's device. The professional starting it is the prior factor (crypto.md 6), so only a
member of a structure the person is actively affiliated to reaches it; anyone else gets 404.
The reset without answer or code (the private part lost) joins this page from
`structures/_reset_option.html`.
"""
from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user

from ..accounts import recovery
from ..accounts.errors import AccountError, WeakPassword
from ..accounts.factors import guesses_left
from ..accounts.messages import password_problem_message
from ..accounts.recovery_forms import AnswerRecoveryForm
from ..accounts.recovery_messages import answer_problem, locked
from ..accounts.secret_answer import ANSWER
from ..clock import now
from ..database import db
from ..extensions import limiter
from ..vault.errors import ItemNotFound
from .affiliation_views import keys, role_only
from .assisted_reset import affiliated_beneficiary
from .services import STAFF_ROLES, structure_for

blueprint = Blueprint("assisted_recovery", __name__, url_prefix="/relais")
LIMIT = "30 per hour"


def affiliated(structure_id: str, beneficiary_id: str):
    """(structure, beneficiary account) when the person is actively affiliated here; 404 otherwise."""
    structure = structure_for(db(), current_user.id, structure_id)
    try:
        return structure, affiliated_beneficiary(db(), structure, beneficiary_id)
    except ItemNotFound:
        abort(404)


@blueprint.get("/<structure_id>/rattachements/<beneficiary_id>/mot-de-passe-perdu")
@role_only(*STAFF_ROLES)
def options(structure_id: str, beneficiary_id: str):
    structure, account = affiliated(structure_id, beneficiary_id)
    return _page(structure, account, AnswerRecoveryForm(formdata=None))


@blueprint.post("/<structure_id>/rattachements/<beneficiary_id>/mot-de-passe-perdu/reponse")
@limiter.limit(LIMIT)
@role_only(*STAFF_ROLES)
def with_answer(structure_id: str, beneficiary_id: str):
    structure, account = affiliated(structure_id, beneficiary_id)
    form = AnswerRecoveryForm()
    if not form.validate_on_submit():
        return _page(structure, account, form, status=400)
    try:
        recovery.recover_with_answer(db(), keys(), account, form.answer.data, form.new_password.data, now(),
                                     actor_id=current_user.id, structure_id=structure.id)
    except WeakPassword as problem:
        form.new_password.errors.append(password_problem_message(problem.reason, account.role))
        return _page(structure, account, form, status=400)
    except AccountError as error:
        db().commit()  # the audit of the try; the key service already counted the guess
        form.answer.errors.append(answer_problem(error))
        form.answer.data = ""
        return _page(structure, account, form, status=400)
    db().commit()
    return render_template("structures/recovery_done.html", structure=structure, account=account)


def _page(structure, account, form: AnswerRecoveryForm, status: int = 200):
    has_answer = any(bundle.factor == ANSWER for bundle in account.bundles)
    left = guesses_left(keys(), account, ANSWER) if has_answer else 0
    return render_template("structures/lost_password.html", structure=structure, account=account, form=form,
                           has_answer=has_answer, guesses_left=left, locked_message=locked()), status
