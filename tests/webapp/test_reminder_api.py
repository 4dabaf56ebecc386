"""Reminders through the API: schedule, change, refusals with stable codes, reschedule on edit, cancel on trash."""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from .test_api import login

PARIS = ZoneInfo("Europe/Paris")


def paris(*args) -> str:
    return datetime(*args, tzinfo=PARIS).astimezone(timezone.utc).isoformat()


def test_reminders_through_the_api(client, make_account, clock):
    clock.now = datetime(2026, 3, 10, 9, 0, tzinfo=PARIS).timestamp()
    auth = login(client, make_account())
    item = client.post("/api/v1/items", json={"kind": "appointment", "shared": False, "metadata": {
        "title": "CAF", "date": "2026-03-12", "time": "14:30"}}, headers=auth).json
    url = f"/api/v1/items/{item['id']}/reminders"
    listed = client.get(url, headers=auth).json
    assert listed == {"reminders": [], "default_text": "Rappel : rendez-vous le 12/03 à 14h30.", "phone": None}

    no_phone = client.post(url, json={"preset": "day_before", "chosen_at": None, "night_ok": False, "phone": None,
                                      "text": listed["default_text"]}, headers=auth)
    assert no_phone.status_code == 422 and no_phone.json["error"]["code"] == "invalid_phone"
    body = {"preset": "chosen", "chosen_at": "2026-03-12T06:00", "night_ok": False, "phone": "06 12 34 56 78",
            "text": listed["default_text"]}
    made = client.post(url, json=body, headers=auth)
    assert made.status_code == 201
    assert made.json["send_at"] == paris(2026, 3, 12, 8, 0) and made.json["chosen_at"] == paris(2026, 3, 12, 6, 0)
    assert made.json["status"] == "scheduled" and made.json["display_phone"] == "06 12 34 56 78"

    past = client.post(url, json={**body, "chosen_at": "2026-03-10T08:00"}, headers=auth)
    assert past.status_code == 409 and past.json["error"]["code"] == "moment_passed"
    after = client.post(url, json={**body, "chosen_at": "2026-03-12T15:00"}, headers=auth)
    assert after.json["error"]["code"] == "not_before_appointment"
    missing = client.post(url, json={**body, "chosen_at": None}, headers=auth)
    assert missing.status_code == 422 and missing.json["error"]["code"] == "missing_moment"

    changed = client.patch(f"{url}/{made.json['id']}", json={**body, "chosen_at": "2026-03-12T06:00", "night_ok": True},
                           headers=auth)
    assert changed.json["send_at"] == paris(2026, 3, 12, 6, 0)

    client.patch(f"/api/v1/items/{item['id']}", json={"metadata": {"title": "CAF", "date": "2026-03-19", "time": "14:30"}},
                 headers=auth)
    moved = client.get(url, headers=auth).json["reminders"][0]
    assert moved["send_at"] == paris(2026, 3, 19, 6, 0) and moved["text"] == "Rappel : rendez-vous le 19/03 à 14h30."

    client.delete(f"/api/v1/items/{item['id']}", headers=auth)
    client.post(f"/api/v1/items/{item['id']}/restore", headers=auth)
    cancelled = client.get(url, headers=auth).json["reminders"][0]
    assert cancelled["status"] == "cancelled" and cancelled["text"] is None
    refused = client.patch(f"{url}/{made.json['id']}", json=body, headers=auth)
    assert refused.status_code == 409 and refused.json["error"]["code"] == "already_sent"
    assert client.delete(f"{url}/{made.json['id']}", headers=auth).json == {"status": "ok"}
    assert client.delete(f"{url}/{made.json['id']}", headers=auth).status_code == 404


def test_only_appointments_have_reminders(client, make_account):
    auth = login(client, make_account())
    note = client.post("/api/v1/items", json={"kind": "note", "shared": False, "metadata": {"title": "n"}}, headers=auth).json
    assert client.get(f"/api/v1/items/{note['id']}/reminders", headers=auth).status_code == 404
    staff = login(client, make_account(role="professional"))
    assert client.get(f"/api/v1/items/{note['id']}/reminders", headers=staff).status_code == 403
