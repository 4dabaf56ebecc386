"""The "Rappels par SMS" section of an appointment's page: schedule with the text shown and editable,
refusals in plain words, edit, delete; editing the appointment moves them, trashing cancels them."""
import re
from datetime import datetime, timezone
from html import unescape
from zoneinfo import ZoneInfo

from sqlalchemy import select

from webapp.accounts.models import Person
from webapp.database import db
from webapp.sms.models import SmsMessage

from .conftest import csrf_token, log_in

PARIS = ZoneInfo("Europe/Paris")


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS).astimezone(timezone.utc)


def new_appointment(client, token, date="2026-03-12", time="14:30"):
    response = client.post("/coffre/nouveau/appointment", data={"title": "Préfecture", "date": date, "time": time,
                                                                "place": "Cité", "csrf_token": token})
    return response.headers["Location"].rsplit("/", 1)[-1]


def ledger(app):
    with app.app_context():
        return db().scalars(select(SmsMessage).order_by(SmsMessage.created_at)).all()


def test_schedule_edit_move_and_cancel_from_the_pages(app, client, make_account, clock):
    clock.now = paris(2026, 3, 10, 9, 0).timestamp()
    made = make_account()
    with app.app_context():
        db().get(Person, made.id).phone = "+33612345678"
        db().commit()
    log_in(client, made)
    token = csrf_token(client, "/coffre/")
    item_id = new_appointment(client, token)
    page = unescape(client.get(f"/coffre/element/{item_id}").text)
    assert "Rappels par SMS" in page and "Aucun rappel pour ce rendez-vous." in page

    form = unescape(client.get(f"/coffre/element/{item_id}/rappels/nouveau").text)
    assert "Rappel : rendez-vous le 12/03 à 14h30." in form and 'value="06 12 34 56 78"' in form
    assert "Cité" not in form.split("<textarea", 1)[1].split("</textarea>")[0]

    past = client.post(f"/coffre/element/{item_id}/rappels/nouveau", data={
        "preset": "chosen", "chosen_date": "2026-03-09", "chosen_time": "10:00", "phone": "06 12 34 56 78",
        "text": "Mon texte à moi", "csrf_token": token})
    assert past.status_code == 400
    assert "Ce moment est déjà passé" in unescape(past.text) and "Mon texte à moi" in unescape(past.text)

    saved = client.post(f"/coffre/element/{item_id}/rappels/nouveau", data={
        "preset": "day_before", "phone": "06 12 34 56 78", "text": "Rappel : rendez-vous le 12/03 à 14h30, Cité.",
        "csrf_token": token}, follow_redirects=True)
    assert "Le rappel partira le 11/03/2026 à 14h30 au 06 12 34 56 78." in unescape(saved.text)
    assert "« Rappel : rendez-vous le 12/03 à 14h30, Cité. »" in unescape(saved.text)
    [message] = ledger(app)
    assert message.send_after == paris(2026, 3, 11, 14, 30) and message.body.endswith("Cité.")

    reminder_id = re.search(r"/rappels/([0-9a-f]{32})/modifier", saved.text).group(1)
    edit_page = unescape(client.get(f"/coffre/element/{item_id}/rappels/{reminder_id}/modifier").text)
    assert "Rappel : rendez-vous le 12/03 à 14h30, Cité." in edit_page
    client.post(f"/coffre/element/{item_id}/rappels/{reminder_id}/modifier", data={
        "preset": "two_hours", "phone": "06 12 34 56 78", "text": "Rappel : RDV le 12/03 à 14h30.", "csrf_token": token})
    assert ledger(app)[0].send_after == paris(2026, 3, 12, 12, 30)

    client.post(f"/coffre/element/{item_id}/modifier", data={"title": "Préfecture", "date": "2026-03-13", "time": "16:00",
                                                             "csrf_token": token})
    [moved] = ledger(app)
    assert moved.send_after == paris(2026, 3, 13, 14, 0) and moved.body == "Rappel : RDV le 13/03 à 16h00."

    client.post(f"/coffre/element/{item_id}/corbeille", data={"csrf_token": token})
    assert ledger(app)[0].status == "cancelled"
    client.post(f"/coffre/element/{item_id}/restaurer", data={"csrf_token": token})
    restored = unescape(client.get(f"/coffre/element/{item_id}").text)
    assert "Annulé" in restored and ledger(app)[0].status == "cancelled"

    client.post(f"/coffre/element/{item_id}/rappels/{reminder_id}/supprimer", data={"csrf_token": token})
    assert "Aucun rappel pour ce rendez-vous." in unescape(client.get(f"/coffre/element/{item_id}").text)


def test_the_night_rule_and_its_choice(app, client, make_account, clock):
    clock.now = paris(2026, 3, 10, 9, 0).timestamp()
    log_in(client, make_account())
    token = csrf_token(client, "/coffre/")
    item_id = new_appointment(client, token, time="07:00")
    day = client.post(f"/coffre/element/{item_id}/rappels/nouveau", data={
        "preset": "two_hours", "phone": "07 55 55 55 55", "text": "Rappel", "csrf_token": token}, follow_redirects=True)
    assert "le 11/03/2026 à 20h00" in unescape(day.text)
    night = client.post(f"/coffre/element/{item_id}/rappels/nouveau", data={
        "preset": "two_hours", "phone": "07 55 55 55 55", "text": "Rappel", "night_ok": "y", "csrf_token": token},
        follow_redirects=True)
    assert "le 12/03/2026 à 5h00" in unescape(night.text)


def test_refusals_keep_the_form(client, make_account, clock):
    clock.now = paris(2026, 3, 10, 9, 0).timestamp()
    log_in(client, make_account())
    token = csrf_token(client, "/coffre/")
    item_id = new_appointment(client, token, time="")
    for data, words in [
        ({"preset": "two_hours", "phone": "0612345678", "text": "Rappel"}, "Ce rendez-vous n'a pas d'heure"),
        ({"preset": "day_before", "phone": "01 42 68 53 00", "text": "Rappel"}, "Ce numéro n'est pas un portable"),
        ({"preset": "day_before", "phone": "0612345678", "text": "x" * 161}, "160 caractères au plus"),
        ({"preset": "chosen", "phone": "0612345678", "text": "Rappel"}, "Choisissez le jour et l'heure du rappel."),
    ]:
        refused = client.post(f"/coffre/element/{item_id}/rappels/nouveau", data={**data, "csrf_token": token})
        assert refused.status_code == 400 and words in unescape(refused.text), words
    note = client.post("/coffre/nouveau/note", data={"title": "Note", "csrf_token": token}).headers["Location"].rsplit("/", 1)[-1]
    assert client.get(f"/coffre/element/{note}/rappels/nouveau").status_code == 404
