"""The administrators' SMS page and its API: the outbox (codes masked), failures, opt-outs."""
from __future__ import annotations

from sqlalchemy import select

from tests.webapp.conftest import csrf_token, log_in
from webapp.database import db
from webapp.sms import delivery
from webapp.sms.models import SmsOptOut

from .conftest import at

PAGE = "/admin/sms/"


def outbox_with_a_reminder_and_a_code(app, clock) -> None:
    now = at(clock)
    with app.app_context():
        gateway = app.extensions["sms_gateway"]
        reminder = delivery.schedule(db(), phone_e164="+33612345678", body="Rappel : rendez-vous lundi à 10h.",
                                     purpose="reminder", idempotency_key="r:1", send_after=now, now=now)
        db().commit()
        delivery.deliver(db(), gateway, reminder.id, now)
        delivery.send_now(db(), gateway, phone_e164="+33698765432", body="Votre code : 482913", purpose="code",
                          idempotency_key="c:1", now=now)


def api_token(client, made) -> dict:
    token = client.post("/api/v1/auth/login", json={"identifier": made.identifier, "password": made.password}).json["token"]
    return {"Authorization": f"Bearer {token}"}


def test_only_administrators_see_the_sms_page(app, client, make_account):
    log_in(client, make_account("beneficiary"))
    assert client.get(PAGE).status_code == 403
    assert client.post(f"{PAGE}stop", data={"phone": "0612345678", "csrf_token": csrf_token(client, "/")}).status_code == 403
    other = app.test_client()
    headers = api_token(other, make_account("professional"))
    assert other.get("/api/v1/admin/sms", headers=headers).status_code == 403
    assert other.post("/api/v1/admin/sms/opt-outs", json={"phone": "0612345678"}, headers=headers).status_code == 403
    assert app.test_client().get(PAGE).status_code in (302, 401)


def test_the_outbox_shows_a_reminder_and_masks_a_code(app, client, clock, make_account):
    outbox_with_a_reminder_and_a_code(app, clock)
    log_in(client, make_account("admin"))
    page = client.get(PAGE)
    assert page.status_code == 200
    assert "Rappel : rendez-vous lundi à 10h." in page.text
    assert "Code masqué" in page.text and "482913" not in page.text
    assert "06 12 34 56 78" in page.text and "+33612345678" not in page.text  # numbers as people write them


def test_an_administrator_records_and_lifts_a_stop(app, client, make_account):
    log_in(client, make_account("admin"))
    refused = client.post(f"{PAGE}stop", data={"phone": "06 12 34", "csrf_token": csrf_token(client, PAGE)})
    assert refused.status_code == 422
    assert "pas valide" in refused.text and 'value="06 12 34"' in refused.text  # what was typed stays
    done = client.post(f"{PAGE}stop", data={"phone": "06 12 34 56 78", "csrf_token": csrf_token(client, PAGE)},
                       follow_redirects=True)
    assert "ne recevra plus de SMS" in done.text and "06 12 34 56 78 — " in done.text
    with app.app_context():
        assert db().get(SmsOptOut, "+33612345678").source == "admin"
    lifted = client.post(f"{PAGE}stop/+33612345678/retirer", data={"csrf_token": csrf_token(client, PAGE)},
                         follow_redirects=True)
    assert "de nouveau recevoir" in lifted.text
    with app.app_context():
        assert db().scalar(select(SmsOptOut)) is None


def test_the_api_lists_the_outbox_and_manages_stops(app, client, clock, make_account):
    outbox_with_a_reminder_and_a_code(app, clock)
    headers = api_token(client, make_account("admin"))
    listed = client.get("/api/v1/admin/sms", headers=headers).json
    assert listed["provider"] == "outbox"
    assert {(m["purpose"], m["status"], m["text"], m["masked"]) for m in listed["messages"]} == {
        ("reminder", "sent", "Rappel : rendez-vous lundi à 10h.", False), ("code", "sent", None, True)}
    assert client.post("/api/v1/admin/sms/opt-outs", json={"phone": "12"}, headers=headers).status_code == 422
    added = client.post("/api/v1/admin/sms/opt-outs", json={"phone": "+33 6 98 76 54 32"}, headers=headers)
    assert (added.status_code, added.json["phone"], added.json["source"]) == (201, "+33698765432", "admin")
    assert [o["phone"] for o in client.get("/api/v1/admin/sms/opt-outs", headers=headers).json["opt_outs"]] == ["+33698765432"]
    assert client.delete("/api/v1/admin/sms/opt-outs/+33698765432", headers=headers).status_code == 200
    assert client.delete("/api/v1/admin/sms/opt-outs/+33698765432", headers=headers).status_code == 404
