"""In-app notices (docs/time-rules.md): a banner on every page of the recipient until they dismiss it
with a plain form, and the same through the API; nobody else sees or dismisses it."""
from datetime import date, datetime, timezone
from html import unescape

import pytest

from webapp.database import db
from webapp.notices import services
from webapp.notices.models import Notice
from webapp.notices.texts import text

from .conftest import csrf_token, log_in
from .relais import add_member, make_structure
from .test_shared_part import Api

WARNING = "n'a rien consulté ni ajouté dans votre partage depuis presque 2 ans"


@pytest.fixture
def scene(app, make_account):
    """Ana is told Relais Nord's affiliation will end on 10/03/2032; its professional is told too."""
    now = datetime.now(timezone.utc)
    with app.app_context():
        north, manager = make_structure(app, "Relais Nord")
        pro, ana, other = make_account("professional"), make_account(), make_account()
        add_member(app, north, manager, pro)
        about = services.About("affiliation_idle_warning", date(2032, 3, 10), north.id)
        [to_ana] = services.give(db(), [ana.id], about, now)
        staff = services.give(db(), services.members_of(db(), north.id),
                              services.About("affiliation_idle_warning", date(2032, 3, 10), north.id, ana.id), now)
        db().commit()
        return {"north": north.id, "ana": ana, "pro": pro, "other": other, "manager": manager, "to_ana": to_ana.id,
                "to_staff": {row.account_id: row.id for row in staff}}


def test_the_banner_shows_on_every_page_until_dismissed(app, scene):
    client = app.test_client()
    log_in(client, scene["ana"])
    for path in ("/", "/coffre/", "/mes-donnees/"):
        shown = unescape(client.get(path).text)
        assert WARNING in shown and "Relais Nord" in shown and "10/03/2032" in shown, path
    token = csrf_token(client, "/")
    assert client.post(f"/avis/{scene['to_ana']}/lu", data={"suite": "/coffre/"}).status_code == 400  # no CSRF token
    dismissed = client.post(f"/avis/{scene['to_ana']}/lu", data={"csrf_token": token, "suite": "/coffre/"})
    assert dismissed.status_code == 302 and dismissed.headers["Location"] == "/coffre/"
    assert WARNING not in unescape(client.get("/").text)
    assert client.post(f"/avis/{scene['to_ana']}/lu", data={"csrf_token": token}).status_code == 404  # once


def test_a_relais_s_members_are_told_about_the_person_and_only_the_recipient_dismisses(app, scene):
    assert set(scene["to_staff"]) == {scene["pro"].id, scene["manager"].id}
    pro = app.test_client()
    log_in(pro, scene["pro"])
    shown = unescape(pro.get("/").text)
    assert "Camille Martin" in shown and "Relais Nord" in shown and "10/03/2032" in shown
    token = csrf_token(pro, "/")
    assert pro.post(f"/avis/{scene['to_ana']}/lu", data={"csrf_token": token}).status_code == 404  # Ana's, not theirs
    elsewhere = pro.post(f"/avis/{scene['to_staff'][scene['pro'].id]}/lu", data={"csrf_token": token,
                                                                               "suite": "//ailleurs.example/"})
    assert elsewhere.status_code == 302 and elsewhere.headers["Location"] == "/"
    other = app.test_client()
    log_in(other, scene["other"])
    assert "Relais Nord" not in other.get("/").text


def test_the_api_lists_and_dismisses(app, scene):
    ana = Api(app, scene["ana"])
    [listed] = ana.get("/api/v1/me/app-notices").json["notices"]
    assert listed["id"] == scene["to_ana"] and listed["kind"] == "affiliation_idle_warning"
    assert listed["on_day"] == "2032-03-10" and listed["beneficiary_id"] is None and WARNING in listed["text"]
    stranger = Api(app, scene["other"])
    assert stranger.get("/api/v1/me/app-notices").json["notices"] == []
    assert stranger.post(f"/api/v1/me/app-notices/{scene['to_ana']}/dismiss").status_code == 404
    assert ana.post(f"/api/v1/me/app-notices/{scene['to_ana']}/dismiss").json == {"status": "ok"}
    assert ana.get("/api/v1/me/app-notices").json["notices"] == []
    assert ana.post(f"/api/v1/me/app-notices/{scene['to_ana']}/dismiss").status_code == 404
    with app.app_context():
        assert db().get(Notice, scene["to_ana"]).dismissed_at is not None


@pytest.mark.parametrize("backend", ["embedded"])
@pytest.mark.parametrize("kind, to_staff, words", [
    ("affiliation_idle_warning", False, "votre rattachement à ce Relais prendra fin le 10/03/2032"),
    ("affiliation_idle_warning", True, "dans le partage de Camille Martin depuis presque 2 ans"),
    ("affiliation_ended_idle", False, "Votre rattachement au Relais Relais Nord a pris fin le 10/03/2032"),
    ("affiliation_ended_idle", True, "Le rattachement de Camille Martin à votre Relais Relais Nord a pris fin"),
    ("account_inactive_warning", False, "il devait être supprimé le 10/03/2032"),
])
def test_every_kind_of_notice_has_its_words(app, scene, kind, to_staff, words):
    with app.test_request_context("/"):
        notice = Notice(kind=kind, structure_id=scene["north"], on_day=date(2032, 3, 10),
                        beneficiary_id=scene["ana"].id if to_staff else None)
        assert words in text(db(), notice)
