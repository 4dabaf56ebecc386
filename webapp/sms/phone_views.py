"""The "Mon téléphone" page, for every account: type a mobile number, receive a code, type the
code; the number is then the account's. Plain forms, no JavaScript needed."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from ..clock import now
from ..database import db
from . import phone_confirmation, phones
from .codes import CodeError, CodeThrottled, OneTimeCodes
from .errors import SmsError
from .messages import code_problem, sms_problem
from .phone_forms import CodeForm, PhoneForm

blueprint = Blueprint("phone", __name__, url_prefix="/compte/telephone")


@blueprint.app_template_filter("phone")
def phone_filter(e164: str | None) -> str:
    return phones.display(e164)


@blueprint.get("/")
@login_required
def show():
    return _page(PhoneForm(formdata=None), CodeForm(formdata=None))


@blueprint.post("/")
@login_required
def start():
    form = PhoneForm()
    if not form.validate_on_submit():
        return _page(form, CodeForm(formdata=None), status=400)
    codes = OneTimeCodes.for_app(db())
    try:
        sent = phone_confirmation.start(codes, current_user, form.number.data, now())
    except phones.InvalidPhone as problem:
        form.number.errors.append(phones.problem_message(problem.reason))
        return _page(form, CodeForm(formdata=None), status=400)
    except CodeThrottled as problem:
        form.number.errors.append(code_problem(problem))
        return _page(form, CodeForm(formdata=None), status=429)
    except SmsError as problem:
        form.number.errors.append(sms_problem(problem))
        return _page(form, CodeForm(formdata=None), status=503)
    flash(_("Un code a été envoyé par SMS au %(number)s. Écrivez-le ci-dessous.", number=phones.display(sent.phone_e164)))
    return redirect(url_for("phone.show"))


@blueprint.post("/code")
@login_required
def confirm():
    form = CodeForm()
    if not form.validate_on_submit():
        return _page(PhoneForm(formdata=None), form, status=400)
    try:
        number = phone_confirmation.confirm(db(), OneTimeCodes.for_app(db()), current_user, form.code.data, now())
    except CodeError as problem:
        db().commit()  # the try is spent
        form.code.errors.append(code_problem(problem))
        return _page(PhoneForm(formdata=None), form, status=400)
    db().commit()
    flash(_("C'est fait : votre numéro %(number)s est confirmé.", number=phones.display(number)))
    return redirect(url_for("phone.show"))


@blueprint.post("/renvoyer")
@login_required
def resend():
    if not FlaskForm().validate_on_submit():
        return redirect(url_for("phone.show"))
    try:
        sent = phone_confirmation.resend(OneTimeCodes.for_app(db()), current_user, now())
    except CodeThrottled as problem:
        flash(code_problem(problem))
    except SmsError as problem:
        flash(sms_problem(problem))
    else:
        if sent is None:
            flash(_("Aucun code en attente. Écrivez votre numéro pour recevoir un code."))
        else:
            flash(_("Un nouveau code a été envoyé au %(number)s.", number=phones.display(sent.phone_e164)))
    return redirect(url_for("phone.show"))


@blueprint.post("/supprimer")
@login_required
def remove():
    if FlaskForm().validate_on_submit():
        phone_confirmation.remove(db(), current_user, now())
        db().commit()
        flash(_("Votre numéro est supprimé. Vous ne recevrez plus de SMS de Cloud Solidaire sur ce numéro."))
    return redirect(url_for("phone.show"))


def _page(phone_form: PhoneForm, code_form: CodeForm, status: int = 200):
    waiting = phone_confirmation.pending(OneTimeCodes.for_app(db()), current_user, now())
    return render_template("phone/phone.html", phone_form=phone_form, code_form=code_form, waiting=waiting,
                           current=current_user.person.phone, remove_form=FlaskForm()), status
