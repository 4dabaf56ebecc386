"""The phone number through the API: code sent, wrong tries counted, the 6th refused, confirmed, removed."""
from .sms_recorder import phone_inbox  # noqa: F401  (fixture)
from .test_api import login


def test_confirm_a_number_through_the_api(client, make_account, phone_inbox, clock):  # noqa: F811
    auth = login(client, make_account())
    assert client.get("/api/v1/me/phone", headers=auth).json == {"phone": None, "display": None, "pending": None}
    started = client.post("/api/v1/me/phone", json={"phone": "06 12 34 56 78"}, headers=auth)
    assert started.status_code == 202
    assert started.json["pending"]["phone"] == "+33612345678" and started.json["pending"]["tries_left"] == 5
    code = phone_inbox.last_code()
    done = client.post("/api/v1/me/phone/confirm", json={"code": code}, headers=auth)
    assert done.status_code == 200
    assert done.json == {"phone": "+33612345678", "display": "06 12 34 56 78", "pending": None}
    again = client.post("/api/v1/me/phone/confirm", json={"code": code}, headers=auth)
    assert again.status_code == 409 and again.json["error"]["code"] == "no_pending_code"
    removed = client.delete("/api/v1/me/phone", headers=auth)
    assert removed.json["phone"] is None


def test_the_sixth_try_is_refused_through_the_api(client, make_account, phone_inbox):  # noqa: F811
    auth = login(client, make_account())
    client.post("/api/v1/me/phone", json={"phone": "+33 7 55 55 55 55"}, headers=auth)
    code = phone_inbox.last_code()
    bad = f"{(int(code) + 1) % 1_000_000:06d}"
    statuses = [client.post("/api/v1/me/phone/confirm", json={"code": bad}, headers=auth) for _ in range(5)]
    assert [r.status_code for r in statuses] == [403] * 5
    assert statuses[0].json["error"]["code"] == "wrong_code" and "4 essais" in statuses[0].json["error"]["message"]
    sixth = client.post("/api/v1/me/phone/confirm", json={"code": code}, headers=auth)
    assert sixth.status_code == 409 and sixth.json["error"]["code"] == "code_exhausted"
    assert client.get("/api/v1/me/phone", headers=auth).json["phone"] is None


def test_refusals_have_stable_codes(client, make_account, phone_inbox, clock):  # noqa: F811
    auth = login(client, make_account())
    landline = client.post("/api/v1/me/phone", json={"phone": "01 42 68 53 00"}, headers=auth)
    assert landline.status_code == 422 and landline.json["error"]["code"] == "invalid_phone"
    assert client.post("/api/v1/me/phone/resend", headers=auth).json["error"]["code"] == "no_pending_code"
    client.post("/api/v1/me/phone", json={"phone": "0612345678"}, headers=auth)
    throttled = client.post("/api/v1/me/phone/resend", headers=auth)
    assert throttled.status_code == 429 and throttled.json["error"]["code"] == "code_throttled"
    assert throttled.headers["Retry-After"] == "60"
    clock.advance(60)
    assert client.post("/api/v1/me/phone/resend", headers=auth).status_code == 202
    malformed = client.post("/api/v1/me/phone/confirm", json={"code": "12345"}, headers=auth)
    assert malformed.status_code == 422 and malformed.json["error"]["code"] == "invalid_code"
    assert client.get("/api/v1/me/phone", headers=auth).json["pending"]["tries_left"] == 5
    clock.advance(10 * 60)
    expired = client.post("/api/v1/me/phone/confirm", json={"code": phone_inbox.last_code()}, headers=auth)
    assert expired.status_code == 409 and expired.json["error"]["code"] == "code_expired"
