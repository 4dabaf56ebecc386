"""What counts as a Relais's activity on a beneficiary (docs/time-rules.md): every consultation and
contribution of a member on the shared part, from the pages and the API, moves both dates the time
rules read — the affiliation's (R16c) and the account's (R16b) — to the app's clock."""
import io
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from webapp.accounts.models import Account, Person
from webapp.database import db
from webapp.structures.models import Affiliation

from .conftest import csrf_token, log_in
from .relais import add_member, affiliate, make_structure
from .test_shared_part import Api, pdf
from .test_sharing import vault_of

pytestmark = pytest.mark.parametrize("backend", ["embedded"])
PARIS = ZoneInfo("Europe/Paris")
SETUP = datetime(2026, 3, 10, 9, 0, tzinfo=PARIS)
LATER = SETUP + timedelta(minutes=5)


@pytest.fixture
def scene(app, make_account, clock):
    """Ana (confirmed mobile, agreed to contributions) shares a note, a PDF and an appointment with Relais Nord."""
    clock.now = SETUP.timestamp()
    with app.app_context():
        north, manager = make_structure(app, "Relais Nord")
        pro, ana = make_account("professional"), make_account()
        add_member(app, north, manager, pro)
        db().get(Person, ana.id).phone = "+33612345678"
        affiliate(app, ana, north, contributions=True)
        vault = vault_of(app, ana)
        note = vault.create_record_item("note", {"title": "Note", "text": "x"}, shared=True)
        appointment = vault.create_record_item("appointment", {"title": "Préfecture", "date": "2026-03-12",
                                                               "time": "14:30"}, shared=True)
        document = vault.create_document({"title": "Attestation", "file_name": "a.pdf", "mime": "application/pdf"},
                                         app.extensions["blobs"], [pdf("x")], shared=True)
        db().get(Affiliation, (ana.id, north.id)).last_professional_activity_at = None
        db().get(Account, ana.id).last_professional_activity_at = None
        db().commit()
    return {"north": north.id, "pro": pro, "ana": ana.id, "beneficiary": ana, "note": note.id, "appointment": appointment.id,
            "document": document.id}


def page(scene) -> str:
    return f"/relais/{scene['north']}/partages/{scene['ana']}"


def api(scene) -> str:
    return f"/api/v1/structures/{scene['north']}/shared/{scene['ana']}"


def upload(field: str) -> dict:
    return {field: (io.BytesIO(pdf("y")), "b.pdf", "application/pdf")}


PAGES = {
    "list": lambda c, s, t: c.get(page(s)),
    "view": lambda c, s, t: c.get(f"{page(s)}/element/{s['note']}"),
    "download": lambda c, s, t: c.get(f"{page(s)}/element/{s['document']}/telecharger"),
    "preview": lambda c, s, t: c.get(f"{page(s)}/element/{s['document']}/apercu"),
    "add": lambda c, s, t: c.post(f"{page(s)}/nouveau/note", data={"csrf_token": t, "title": "Ajout", "text": "y"}),
    "edit": lambda c, s, t: c.post(f"{page(s)}/element/{s['note']}/modifier",
                                   data={"csrf_token": t, "title": "Note", "text": "z"}),
    "upload": lambda c, s, t: c.post(f"{page(s)}/ajouter-document", data={"csrf_token": t, "titre": "", **upload("fichiers")},
                                     content_type="multipart/form-data"),
    "reminder": lambda c, s, t: c.post(f"{page(s)}/element/{s['appointment']}/rappels/nouveau",
                                       data={"csrf_token": t, "preset": "day_before", "text": "Rappel : demain."}),
    "report": lambda c, s, t: c.post(f"{page(s)}/element/{s['note']}/signaler",
                                     data={"csrf_token": t, "reason": "other", "details": ""}),
    "make private": lambda c, s, t: c.post(f"{page(s)}/element/{s['note']}/prive", data={"csrf_token": t}),
}
CALLS = {
    "list": lambda a, s: a.get(f"{api(s)}/items"),
    "view": lambda a, s: a.get(f"{api(s)}/items/{s['note']}"),
    "download": lambda a, s: a.get(f"{api(s)}/items/{s['document']}/content"),
    "add": lambda a, s: a.post(f"{api(s)}/items", json={"kind": "note", "metadata": {"title": "Ajout"}}),
    "edit": lambda a, s: a.patch(f"{api(s)}/items/{s['note']}", json={"metadata": {"title": "Note", "text": "z"}}),
    "upload": lambda a, s: a.post(f"{api(s)}/documents", data=upload("files"), content_type="multipart/form-data"),
    "reminders": lambda a, s: a.get(f"{api(s)}/items/{s['appointment']}/reminders"),
    "reminder": lambda a, s: a.post(f"{api(s)}/items/{s['appointment']}/reminders",
                                    json={"preset": "day_before", "chosen_at": None, "night_ok": False,
                                          "text": "Rappel : demain."}),
    "report": lambda a, s: a.post(f"{api(s)}/items/{s['note']}/report",
                                  json={"reason": "other", "details": "", "attach": False}),
    "make private": lambda a, s: a.post(f"{api(s)}/items/{s['note']}/private"),  # last: the note leaves the shared part
}


def activity(app, scene) -> tuple:
    with app.app_context():
        return (db().get(Affiliation, (scene["ana"], scene["north"])).last_professional_activity_at,
                db().get(Account, scene["ana"]).last_professional_activity_at)


def forget_activity(app, scene) -> None:
    with app.app_context():
        db().get(Affiliation, (scene["ana"], scene["north"])).last_professional_activity_at = None
        db().get(Account, scene["ana"]).last_professional_activity_at = None
        db().commit()


def test_every_consultation_and_contribution_from_the_pages_is_activity(app, scene, clock, subtests):
    client = app.test_client()
    log_in(client, scene["pro"])
    token = csrf_token(client, page(scene))
    for minutes, (action, call) in enumerate(PAGES.items(), start=1):
        with subtests.test(action=action):
            forget_activity(app, scene)
            moment = SETUP + timedelta(minutes=minutes)  # each within the session's 20 idle minutes of the last
            clock.now = moment.timestamp()
            answer = call(client, scene, token)
            answer.get_data()  # a download streams: read to its end
            assert answer.status_code in (200, 302) and "connexion" not in answer.headers.get("Location", ""), answer.text
            assert activity(app, scene) == (moment, moment)


def test_every_consultation_and_contribution_through_the_api_is_activity(app, scene, clock, subtests):
    client = Api(app, scene["pro"])
    for minutes, (action, call) in enumerate(CALLS.items(), start=1):
        with subtests.test(action=action):
            forget_activity(app, scene)
            moment = SETUP + timedelta(minutes=minutes)
            clock.now = moment.timestamp()
            answer = call(client, scene)
            answer.get_data()
            assert answer.status_code in (200, 201), answer.text
            assert activity(app, scene) == (moment, moment)


def test_what_the_beneficiary_does_in_their_vault_is_not_the_relais_s_activity(app, scene, clock):
    clock.now = LATER.timestamp()
    ana = app.test_client()
    log_in(ana, scene["beneficiary"])
    assert ana.get(f"/coffre/element/{scene['note']}").status_code == 200
    assert activity(app, scene) == (None, None)
    with app.app_context():
        assert db().get(Account, scene["ana"]).last_activity_at == LATER  # her login, on the app's clock


def test_mes_donnees_shows_the_dates_the_time_rules_read(app, scene, clock):
    clock.now = LATER.timestamp()
    assert Api(app, scene["pro"]).get(f"{api(scene)}/items").status_code == 200
    held = Api(app, scene["beneficiary"]).get("/api/v1/me/data").json
    assert held["account"]["last_professional_activity_at"] == LATER.astimezone(timezone.utc).isoformat()
    assert held["account"]["inactivity_notice_at"] is None
    [north] = held["structures"]
    assert (north["last_professional_activity_at"], north["idle_notice_at"]) == (LATER.astimezone(timezone.utc).isoformat(), None)
