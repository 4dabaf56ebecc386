"""A professional's SMS reminders on an appointment in a beneficiary's shared part (R4, issue #5),
on both backends: pages and API; the beneficiary's confirmed number only (never typed, never shown in
full); the Relais's quota; traced for the beneficiary, who sees who scheduled them and can cancel them;
they follow the appointment, and stop when it becomes private; another Relais sees none of them."""
import dataclasses
import re
from datetime import datetime, timezone
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from webapp.accounts.models import Person
from webapp.database import db
from webapp.reminders.models import Reminder
from webapp.sms.models import SmsMessage

from .conftest import csrf_token, log_in
from .relais import add_member, affiliate, make_structure
from .sms_recorder import phone_inbox  # noqa: F401  (fixture)
from .test_shared_part import Api
from .test_sharing import vault_of

PARIS = ZoneInfo("Europe/Paris")
ANA_PHONE = "+33612345678"


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS).astimezone(timezone.utc)


@pytest.fixture
def scene(app, make_account, clock):
    """Ana (confirmed mobile) is affiliated to Relais Nord and Relais Est; she shares an appointment on
    12/03 at 14:30 and keeps one private. Today is 10/03, 09:00."""
    clock.now = paris(2026, 3, 10, 9, 0).timestamp()
    with app.app_context():
        north, north_manager = make_structure(app, "Relais Nord")
        east, east_manager = make_structure(app, "Relais Est")
        pro, colleague = make_account("professional"), make_account("professional")
        add_member(app, north, north_manager, pro)
        add_member(app, east, east_manager, colleague)
        ana = make_account()
        db().get(Person, ana.id).phone = ANA_PHONE
        db().commit()
        affiliate(app, ana, north)  # no consent to contributions: reminders do not need it
        affiliate(app, ana, east)
        vault = vault_of(app, ana)
        shared = vault.create_record_item("appointment", {"title": "Préfecture", "date": "2026-03-12", "time": "14:30",
                                                          "place": "Cité"}, shared=True)
        private = vault.create_record_item("appointment", {"title": "Médecin", "date": "2026-03-12", "time": "10:00"})
        note = vault.create_record_item("note", {"title": "Note", "text": "x"}, shared=True)
        db().commit()
    return {"north": north.id, "east": east.id, "pro": pro, "colleague": colleague, "ana": ana,
            "shared": shared.id, "private": private.id, "note": note.id}


def ledger(app) -> list[SmsMessage]:
    with app.app_context():
        return db().scalars(select(SmsMessage).order_by(SmsMessage.created_at)).all()


def test_a_professional_schedules_changes_and_deletes_from_the_pages_and_the_beneficiary_sees_who(app, scene, clock):
    pro = app.test_client()
    log_in(pro, scene["pro"])
    item = f"/relais/{scene['north']}/partages/{scene['ana'].id}/element/{scene['shared']}"
    page = unescape(pro.get(item).text)
    assert "Rappels par SMS" in page and "Aucun rappel de votre Relais pour ce rendez-vous." in page
    form = unescape(pro.get(f"{item}/rappels/nouveau").text)
    assert "Rappel : rendez-vous le 12/03 à 14h30." in form and "•• •• •• •• 78" in form
    assert "06 12 34 56" not in form and 'name="phone"' not in form and 'value="now"' in form
    token = csrf_token(pro, f"{item}/rappels/nouveau")

    refused = pro.post(f"{item}/rappels/nouveau", data={"preset": "chosen", "chosen_date": "2026-03-09",
                                                         "chosen_time": "10:00", "text": "Mon texte", "csrf_token": token})
    assert refused.status_code == 400 and "Ce moment est déjà passé" in unescape(refused.text)
    assert "Mon texte" in refused.text
    # A number in the form is ignored: the SMS goes to Ana's confirmed mobile.
    saved = pro.post(f"{item}/rappels/nouveau", data={"preset": "day_before", "phone": "07 00 00 00 00",
                                                       "text": "Rappel : RDV le 12/03 à 14h30.", "csrf_token": token},
                     follow_redirects=True)
    assert "Le rappel partira le 11/03/2026 à 14h30 au numéro confirmé de la personne (•• •• •• •• 78)." in unescape(saved.text)
    [message] = ledger(app)
    assert (message.phone_e164, message.structure_id, message.account_id) == (ANA_PHONE, scene["north"], scene["ana"].id)
    assert message.send_after == paris(2026, 3, 11, 14, 30) and message.body == "Rappel : RDV le 12/03 à 14h30."

    reminder_id = re.search(r"/rappels/([0-9a-f]{32})/modifier", saved.text).group(1)
    assert "Rappel : RDV le 12/03 à 14h30." in unescape(pro.get(f"{item}/rappels/{reminder_id}/modifier").text)
    pro.post(f"{item}/rappels/{reminder_id}/modifier", data={"preset": "two_hours", "text": "Rappel : RDV demain.",
                                                             "csrf_token": token})
    [message] = ledger(app)
    assert message.send_after == paris(2026, 3, 12, 12, 30) and message.body == "Rappel : RDV demain."

    # At 22:00, "now" waits for 08:00 unless the night is allowed.
    clock.now = paris(2026, 3, 10, 22, 0).timestamp()
    log_in(pro, scene["pro"])  # the session ended after 20 minutes without activity
    token = csrf_token(pro, item)
    pro.post(f"{item}/rappels/nouveau", data={"preset": "now", "text": "Rappel : RDV le 12/03.", "csrf_token": token})
    pro.post(f"{item}/rappels/nouveau", data={"preset": "now", "night_ok": "y", "text": "Tout de suite.", "csrf_token": token})
    assert {m.body: m.send_after for m in ledger(app)[1:]} == {"Rappel : RDV le 12/03.": paris(2026, 3, 11, 8, 0),
                                                                "Tout de suite.": paris(2026, 3, 10, 22, 0)}

    # Ana sees who scheduled them, and every action on her traces page; she deletes one.
    ana = app.test_client()
    log_in(ana, scene["ana"])
    mine = unescape(ana.get(f"/coffre/element/{scene['shared']}").text)
    assert mine.count("Programmé par Camille Martin (Relais Nord)") == 3 and "Maintenant" in mine
    traces = unescape(ana.get("/qui-a-consulte/").text)
    for words in ("a programmé un rappel par SMS pour", "a modifié un rappel par SMS de", "Préfecture", "Relais Nord"):
        assert words in traces
    ana.post(f"/coffre/element/{scene['shared']}/rappels/{reminder_id}/supprimer",
             data={"csrf_token": csrf_token(ana, "/coffre/")})
    assert ledger(app)[0].status == "cancelled"
    assert pro.get(f"{item}/rappels/{reminder_id}/modifier").status_code == 404

    # The professional deletes theirs.
    with app.app_context():
        left = db().scalars(select(Reminder.id).where(Reminder.item_id == scene["shared"])).all()
    for other in left:
        assert pro.post(f"{item}/rappels/{other}/supprimer", data={"csrf_token": token}).status_code == 302
    assert {m.status for m in ledger(app)} == {"cancelled"}
    assert "a supprimé un rappel par SMS de" in unescape(ana.get("/qui-a-consulte/").text)


def test_another_relais_and_the_beneficiarys_own_reminders_are_out_of_reach(app, scene):
    pro, colleague = Api(app, scene["pro"]), Api(app, scene["colleague"])
    north = f"/api/v1/structures/{scene['north']}/shared/{scene['ana'].id}/items"
    east = f"/api/v1/structures/{scene['east']}/shared/{scene['ana'].id}/items"
    body = {"preset": "day_before", "chosen_at": None, "night_ok": False, "text": "Rappel : RDV le 12/03 à 14h30."}
    made = pro.post(f"{north}/{scene['shared']}/reminders", json=body)
    assert made.status_code == 201 and made.json["masked_phone"] == "•• •• •• •• 78" and "phone" not in made.json
    own = Api(app, scene["ana"]).post(f"/api/v1/items/{scene['shared']}/reminders", json={**body, "phone": None,
                                                                                        "text": "Mon rappel à moi"})
    assert own.status_code == 201 and own.json["structure_id"] is None

    assert [r["id"] for r in pro.get(f"{north}/{scene['shared']}/reminders").json["reminders"]] == [made.json["id"]]
    assert colleague.get(f"{east}/{scene['shared']}/reminders").json["reminders"] == []
    for reminder in (made.json["id"], own.json["id"]):
        assert colleague.patch(f"{east}/{scene['shared']}/reminders/{reminder}", json=body).status_code == 404
        assert colleague.open(f"{east}/{scene['shared']}/reminders/{reminder}", "DELETE").status_code == 404
    assert pro.patch(f"{north}/{scene['shared']}/reminders/{own.json['id']}", json=body).status_code == 404
    # Not shared, not an appointment, or no Relais of this account: 404 alike.
    assert pro.get(f"{north}/{scene['private']}/reminders").status_code == 404
    assert pro.post(f"{north}/{scene['note']}/reminders", json=body).status_code == 404
    assert colleague.post(f"{north}/{scene['shared']}/reminders", json=body).status_code == 404
    assert {m.status for m in ledger(app)} == {"scheduled"}

    listed = Api(app, scene["ana"]).get(f"/api/v1/items/{scene['shared']}/reminders").json["reminders"]
    assert {(r["author_id"], r["structure_id"]) for r in listed} == {(scene["pro"].id, scene["north"]),
                                                                      (scene["ana"].id, None)}


def test_the_api_refuses_in_plain_words_and_counts_against_the_relais_quota(app, scene):
    pro = Api(app, scene["pro"])
    base = f"/api/v1/structures/{scene['north']}/shared/{scene['ana'].id}/items/{scene['shared']}/reminders"
    body = {"preset": "now", "chosen_at": None, "night_ok": False, "text": "Rappel : RDV le 12/03 à 14h30."}
    assert pro.post(base, json={**body, "phone": "+33700000000"}).status_code == 400
    assert pro.post(base, json={**body, "preset": "chosen"}).json["error"]["code"] == "missing_moment"
    assert pro.post(base, json={**body, "text": "x" * 161}).status_code == 422
    sent = pro.post(base, json=body)
    assert sent.status_code == 201 and sent.json["send_at"] == paris(2026, 3, 10, 9, 0).isoformat()
    changed = pro.patch(f"{base}/{sent.json['id']}", json={**body, "preset": "chosen", "chosen_at": "2026-03-11T19:00"})
    assert changed.status_code == 200 and changed.json["chosen_at"] == paris(2026, 3, 11, 19, 0).isoformat()

    settings = app.config["SETTINGS"]
    app.config["SETTINGS"] = dataclasses.replace(settings, sms=dataclasses.replace(settings.sms, daily_limit_per_structure=1))
    over = pro.post(base, json={**body, "preset": "chosen", "chosen_at": "2026-03-11T10:00"})
    assert over.status_code == 429 and over.json["error"]["code"] == "sms_quota_exceeded"
    assert pro.post(base, json=body).status_code == 201  # another day: another count
    app.config["SETTINGS"] = settings

    with app.app_context():
        db().get(Person, scene["ana"].id).phone = None
        db().commit()
    assert pro.get(base).json["masked_phone"] is None
    no_phone = pro.post(base, json=body)
    assert no_phone.status_code == 409 and no_phone.json["error"]["code"] == "no_phone"
    assert "Mon téléphone" in no_phone.json["error"]["message"]
    actions = [t["action"] for t in Api(app, scene["ana"]).get("/api/v1/me/traces").json["traces"]]
    assert actions.count("shared.reminder_scheduled") == 2 and "shared.reminder_changed" in actions


def test_reminders_follow_the_appointment_and_stop_when_it_becomes_private(app, scene):
    pro = Api(app, scene["pro"])
    shared = f"/api/v1/structures/{scene['north']}/shared/{scene['ana'].id}/items/{scene['shared']}"
    body = {"preset": "day_before", "chosen_at": None, "night_ok": False, "text": "Rappel : RDV le 12/03 à 14h30."}
    assert pro.post(f"{shared}/reminders", json=body).status_code == 201
    ana = Api(app, scene["ana"])
    assert ana.post(f"/api/v1/items/{scene['shared']}/reminders", json={**body, "phone": None}).status_code == 201

    # The professional moves the appointment: both move.
    moved = pro.patch(shared, json={"metadata": {"title": "Préfecture", "date": "2026-03-13", "time": "16:00"}})
    assert moved.status_code == 403  # no consent to contributions: the beneficiary moves it
    assert ana.patch(f"/api/v1/items/{scene['shared']}",
                     json={"metadata": {"title": "Préfecture", "date": "2026-03-13", "time": "16:00"}}).status_code == 200
    assert [(m.send_after, m.body) for m in ledger(app)] == [(paris(2026, 3, 12, 16, 0), "Rappel : RDV le 13/03 à 16h00.")] * 2

    # Made private: the professional's reminder stops, Ana's own stays.
    assert pro.post(f"{shared}/private").status_code == 200
    assert {m.structure_id: m.status for m in ledger(app)} == {scene["north"]: "cancelled", None: "scheduled"}


def test_the_owner_making_it_private_cancels_those_still_waiting(app, scene):
    pro = app.test_client()
    log_in(pro, scene["pro"])
    item = f"/relais/{scene['north']}/partages/{scene['ana'].id}/element/{scene['shared']}"
    token = csrf_token(pro, item)
    for _ in range(2):
        pro.post(f"{item}/rappels/nouveau", data={"preset": "day_before", "text": "Rappel.", "csrf_token": token})
    ana = app.test_client()
    log_in(ana, scene["ana"])
    mine = csrf_token(ana, "/coffre/")
    first, second = ledger(app)
    with app.app_context():
        # The second reminder already left: it stays as it was.
        db().get(SmsMessage, second.id).status = "sent"
        db().commit()
    ana.post(f"/coffre/element/{scene['shared']}/partage", data={"csrf_token": mine, "shared": "false"})
    assert {m.id: m.status for m in ledger(app)} == {first.id: "cancelled", second.id: "sent"}
    assert pro.get(f"{item}/rappels/nouveau").status_code == 404


def test_ending_an_affiliation_stops_that_relais_reminders_only(app, scene):
    body = {"preset": "day_before", "chosen_at": None, "night_ok": False, "text": "Rappel."}
    for account, structure in ((scene["pro"], scene["north"]), (scene["colleague"], scene["east"])):
        shared = f"/api/v1/structures/{structure}/shared/{scene['ana'].id}/items/{scene['shared']}"
        assert Api(app, account).post(f"{shared}/reminders", json=body).status_code == 201
    ana = Api(app, scene["ana"])
    assert ana.post(f"/api/v1/items/{scene['shared']}/reminders", json={**body, "phone": None}).status_code == 201

    assert ana.open(f"/api/v1/me/affiliations/{scene['north']}", "DELETE").status_code == 200
    assert {m.structure_id: m.status for m in ledger(app)} == {
        scene["north"]: "cancelled", scene["east"]: "scheduled", None: "scheduled"}


def test_reminders_follow_the_confirmed_number(app, scene, phone_inbox):  # noqa: F811
    body = {"preset": "day_before", "chosen_at": None, "night_ok": False, "text": "Rappel."}
    shared = f"/api/v1/structures/{scene['north']}/shared/{scene['ana'].id}/items/{scene['shared']}"
    assert Api(app, scene["pro"]).post(f"{shared}/reminders", json=body).status_code == 201
    ana = Api(app, scene["ana"])
    for phone in (None, "07 55 55 55 55"):  # her confirmed number, and one she typed for this reminder
        assert ana.post(f"/api/v1/items/{scene['shared']}/reminders", json={**body, "phone": phone}).status_code == 201

    assert ana.post("/api/v1/me/phone", json={"phone": "06 99 88 77 66"}).status_code == 202
    assert ana.post("/api/v1/me/phone/confirm", json={"code": phone_inbox.last_code()}).status_code == 200
    waiting = [(m.structure_id, m.phone_e164) for m in ledger(app) if m.status == "scheduled" and m.purpose == "reminder"]
    assert sorted(waiting, key=str) == sorted([(scene["north"], "+33699887766"), (None, "+33699887766"),
                                               (None, "+33755555555")], key=str)
    with app.app_context():
        assert {r.phone_e164 for r in db().scalars(select(Reminder))} == {"+33699887766", "+33755555555"}

    # Removed: professionals may only write to a confirmed number, so theirs stop; hers stay.
    assert ana.open("/api/v1/me/phone", "DELETE").status_code == 200
    waiting = [(m.structure_id, m.phone_e164) for m in ledger(app) if m.status == "scheduled" and m.purpose == "reminder"]
    assert sorted(waiting, key=str) == sorted([(None, "+33699887766"), (None, "+33755555555")], key=str)
