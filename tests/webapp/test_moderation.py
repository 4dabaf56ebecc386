"""Moderation (R12) on both backends: reports of items, accounts and Relais, an attached item sealed
to the platform review key and read by an administrator only, removal, suspension, formal notices
with their 15-day deadline (a clock the test moves), and new terms versions (R10)."""
import secrets

import pytest
from sqlalchemy import select

from webapp.accounts.models import Account
from webapp.audit.models import AuditEvent
from webapp.database import db
from webapp.moderation.models import FormalNotice, Report
from webapp.vault.models import Item

from .conftest import csrf_token, log_in
from .relais import add_member, affiliate, make_structure
from .test_sharing import vault_of

DAY = 24 * 3600


@pytest.fixture
def scene(app, make_account):
    """Relais Nord (a professional), Ana affiliated and sharing a note; a stranger professional of
    Relais Sud; an administrator whose console visit made the platform review key."""
    with app.app_context():
        north, north_manager = make_structure(app, "Relais Nord")
        south, south_manager = make_structure(app, "Relais Sud")
        pro, stranger = make_account("professional"), make_account("professional")
        add_member(app, north, north_manager, pro)
        add_member(app, south, south_manager, stranger)
        ana = make_account()
        affiliate(app, ana, north)
        shared = vault_of(app, ana).create_record_item("note", {"title": "Note partagée", "text": "canari-partage"},
                                                       shared=True)
        db().commit()
    admin = make_account("admin")
    admin_client = app.test_client()
    log_in(admin_client, admin)
    assert admin_client.get("/admin/relais/").status_code == 200  # makes the review key
    return {"north": north.id, "south": south.id, "pro": pro, "stranger": stranger, "ana": ana, "shared": shared.id,
            "admin": admin_client, "admin_account": admin}


def logged_in(app, made):
    client = app.test_client()
    log_in(client, made)
    return client


def post(client, path, data, token_page="/"):
    return client.post(path, data={"csrf_token": csrf_token(client, token_page), **data})


def every_column(app) -> bytes:
    with app.app_context():
        return repr([vars(row) for row in db().scalars(select(Report))]).encode() + \
            repr([row.details for row in db().scalars(select(AuditEvent))]).encode()


def test_an_attached_item_is_sealed_to_administrators_who_read_it_and_remove_it(app, scene):
    pro = logged_in(app, scene["pro"])
    path = f"/relais/{scene['north']}/partages/{scene['ana'].id}/element/{scene['shared']}/signaler"
    form = pro.get(path)
    assert form.status_code == 200 and "n'est pas chiffré" in form.text and "Joindre l'élément" in form.text
    refused = post(pro, path, {"reason": "nonsense", "details": "gardé tel quel"})
    assert refused.status_code == 400 and "gardé tel quel" in refused.text
    assert post(pro, path, {"reason": "illicit", "details": "contenu interdit", "attach": "y"}).status_code == 302

    assert b"canari-partage" not in every_column(app)  # sealed, never stored in clear
    with app.app_context():
        report = db().scalar(select(Report))
        assert report.attachment and report.item_owner_id == scene["ana"].id and report.status == "open"
        report_id = report.id
    admin = scene["admin"]
    assert f"/admin/signalements/{report_id}" in admin.get("/admin/signalements/").text
    page = admin.get(f"/admin/signalements/{report_id}")
    assert page.status_code == 200 and "canari-partage" in page.text and "contenu interdit" in page.text
    assert pro.get(f"/admin/signalements/{report_id}").status_code == 403

    assert "Retirer cet élément" in admin.get(f"/admin/signalements/{report_id}/retirer").text
    assert post(admin, f"/admin/signalements/{report_id}/retirer", {}).status_code == 302
    with app.app_context():
        assert db().get(Item, scene["shared"]) is None
        assert db().get(Report, report_id).status == "item_removed"
        assert db().scalar(select(AuditEvent).where(AuditEvent.action == "moderation.item_removed")).subject_id == scene["ana"].id
    home = logged_in(app, scene["ana"]).get("/")
    assert "a retiré un élément de votre coffre" in home.text
    assert post(admin, f"/admin/signalements/{report_id}/classer", {}).status_code == 302  # already decided: told so


def test_without_attachment_nobody_but_the_owner_reads_the_item(app, scene):
    pro = logged_in(app, scene["pro"])
    path = f"/relais/{scene['north']}/partages/{scene['ana'].id}/element/{scene['shared']}/signaler"
    assert post(pro, path, {"reason": "abusive", "details": ""}).status_code == 302
    with app.app_context():
        report = db().scalar(select(Report))
        assert report.attachment is None and report.attachment_key_wrap is None
    page = scene["admin"].get(f"/admin/signalements/{report.id}")
    assert "Aucun élément joint" in page.text and "canari-partage" not in page.text
    assert post(scene["admin"], f"/admin/signalements/{report.id}/classer", {}).status_code == 302
    with app.app_context():
        assert db().get(Report, report.id).status == "dismissed"


def test_only_what_one_may_see_can_be_reported(app, scene):
    stranger = logged_in(app, scene["stranger"])
    assert stranger.get(f"/relais/{scene['north']}/partages/{scene['ana'].id}/element/{scene['shared']}/signaler").status_code == 404
    assert post(stranger, f"/relais/{scene['south']}/beneficiaires/{scene['ana'].id}/signaler",
                {"reason": "fraud"}).status_code == 404
    ana = logged_in(app, scene["ana"])
    assert post(ana, f"/mes-relais/{scene['south']}/signaler", {"reason": "fraud"}).status_code == 404
    assert post(ana, f"/mes-relais/{scene['north']}/signaler", {"reason": "fraud", "details": "M. X"}).status_code == 302
    assert post(ana, f"/coffre/element/{scene['shared']}/signaler", {"reason": "other"}).status_code == 302
    assert ana.get(f"/coffre/element/{secrets.token_hex(16)}/signaler").status_code == 404
    with app.app_context():
        kinds = sorted(report.kind for report in db().scalars(select(Report)))
    assert kinds == ["item", "structure"]


def report_ana(app, scene) -> str:
    pro = logged_in(app, scene["pro"])
    assert post(pro, f"/relais/{scene['north']}/beneficiaires/{scene['ana'].id}/signaler",
                {"reason": "fraud", "details": "faux papiers"}).status_code == 302
    with app.app_context():
        return db().scalar(select(Report.id).where(Report.kind == "account"))


def test_a_formal_notice_unanswered_suspends_on_the_fifteenth_day_not_before(app, scene, clock):
    from jobs.moderation import suspend_unanswered_notices

    report_id = report_ana(app, scene)
    admin = scene["admin"]
    assert post(admin, f"/admin/signalements/{report_id}/mise-en-demeure", {"message": ""}).status_code == 400
    assert post(admin, f"/admin/signalements/{report_id}/mise-en-demeure",
                {"message": "Expliquez-vous sur ces papiers."}).status_code == 302
    ana = logged_in(app, scene["ana"])
    first = ana.get("/")
    assert first.status_code == 302 and "/mises-en-demeure/" in first.headers["Location"]
    notice = ana.get(first.headers["Location"])
    assert "Expliquez-vous sur ces papiers." in notice.text and "Votre réponse" in notice.text
    assert ana.get("/").status_code == 200  # seen once, then listed on "Mises en demeure"

    clock.advance(15 * DAY - 60)
    with app.app_context():
        assert suspend_unanswered_notices() == 0
        assert db().get(Account, scene["ana"].id).status == "active"
    clock.advance(60)
    with app.app_context():
        assert suspend_unanswered_notices() == 1
        assert db().get(Account, scene["ana"].id).status == "suspended"
        assert db().scalar(select(FormalNotice)).status == "suspended"
    refused = app.test_client()
    assert log_in(refused, scene["ana"]).status_code == 403 and refused.get("/").status_code == 302

    admin = logged_in(app, scene["admin_account"])  # 15 days on, a new session
    assert post(admin, f"/admin/signalements/comptes/{scene['ana'].id}/reactiver", {}).status_code == 302
    with app.app_context():
        assert db().get(Account, scene["ana"].id).status == "active"


def test_an_answered_notice_does_not_suspend(app, scene, clock):
    from jobs.moderation import suspend_unanswered_notices

    report_id = report_ana(app, scene)
    post(scene["admin"], f"/admin/signalements/{report_id}/mise-en-demeure", {"message": "Répondez."})
    ana = logged_in(app, scene["ana"])
    location = ana.get("/").headers["Location"]
    assert post(ana, location, {"reply": "Ce sont mes vrais papiers."}, token_page=location).status_code == 302
    assert "Ce sont mes vrais papiers." in ana.get(location).text
    assert "Ce sont mes vrais papiers." in scene["admin"].get("/admin/signalements/").text
    clock.advance(20 * DAY)
    with app.app_context():
        assert suspend_unanswered_notices() == 0
        assert db().get(Account, scene["ana"].id).status == "active"


def test_suspension_at_once_refuses_login_until_reactivated(app, scene):
    report_id = report_ana(app, scene)
    admin = scene["admin"]
    assert "Suspendre ce compte" in admin.get(f"/admin/signalements/{report_id}/suspendre").text
    assert post(admin, f"/admin/signalements/{report_id}/suspendre", {}).status_code == 302
    refused = app.test_client()
    assert log_in(refused, scene["ana"]).status_code == 403  # the login page again, saying so
    assert refused.get("/").status_code == 302
    post(admin, f"/admin/signalements/comptes/{scene['ana'].id}/reactiver", {})
    assert log_in(app.test_client(), scene["ana"]).status_code == 302


def test_a_new_terms_version_is_accepted_at_the_next_page(app, scene):
    admin = scene["admin"]
    assert post(admin, "/admin/conditions/", {"text": "Nouvelles conditions"}).status_code == 400  # box unticked
    assert post(admin, "/admin/conditions/", {"text": "Nouvelles conditions v2", "confirm": "y"}).status_code == 302
    ana = logged_in(app, scene["ana"])
    response = ana.get("/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/conditions")
    assert "Nouvelles conditions v2" in ana.get("/conditions").text
    with app.app_context():
        assert db().scalar(select(AuditEvent).where(AuditEvent.action == "terms.published")).details == {"version": 2}
    assert logged_in(app, scene["pro"]).get("/relais/").status_code == 302
    assert scene["admin"].get("/admin/signalements/").status_code == 302  # the administrator too


def test_the_api_reports_decides_notices_and_publishes_terms(app, scene, clock):
    from .test_shared_part import Api

    pro, admin, ana = Api(app, scene["pro"]), Api(app, scene["admin_account"]), Api(app, scene["ana"])
    base = f"/api/v1/structures/{scene['north']}/shared/{scene['ana'].id}/items/{scene['shared']}/report"
    assert pro.post(base, json={"reason": "bad", "details": "", "attach": True}).status_code == 422
    made = pro.post(base, json={"reason": "illicit", "details": "à voir", "attach": True})
    assert made.status_code == 201 and made.json["attached"] and made.json["attachment"] is None
    assert Api(app, scene["stranger"]).post(base, json={"reason": "illicit", "details": "", "attach": False}).status_code == 404
    assert pro.get("/api/v1/admin/reports").status_code == 403
    read = admin.get(f"/api/v1/admin/reports/{made.json['id']}")
    assert read.json["attachment"]["metadata"]["text"] == "canari-partage"

    account = pro.post(f"/api/v1/structures/{scene['north']}/beneficiaries/{scene['ana'].id}/report",
                       json={"reason": "fraud", "details": ""})
    assert account.status_code == 201
    decided = admin.post(f"/api/v1/admin/reports/{account.json['id']}/decision",
                         json={"decision": "notice", "message": "Expliquez-vous."})
    assert decided.status_code == 200 and decided.json["status"] == "notice_sent"
    assert admin.post(f"/api/v1/admin/reports/{account.json['id']}/decision",
                      json={"decision": "dismiss", "message": ""}).status_code == 409
    notices = ana.get("/api/v1/me/notices").json["notices"]
    assert [notice["message"] for notice in notices] == ["Expliquez-vous."]
    replied = ana.post(f"/api/v1/me/notices/{notices[0]['id']}/reply", json={"reply": "Voici."})
    assert replied.status_code == 200 and replied.json["status"] == "answered"
    assert admin.post(f"/api/v1/admin/reports/{made.json['id']}/decision",
                      json={"decision": "remove_item", "message": ""}).json["status"] == "item_removed"

    own = ana.post(f"/api/v1/me/affiliations/{scene['north']}/report", json={"reason": "abusive", "details": ""})
    assert own.status_code == 201 and own.json["kind"] == "structure"
    assert admin.post(f"/api/v1/admin/reports/{own.json['id']}/decision",
                      json={"decision": "suspend", "message": ""}).status_code == 422
    assert admin.post(f"/api/v1/admin/accounts/{scene['ana'].id}/status", json={"status": "suspended"}).json == {
        "id": scene["ana"].id, "status": "suspended"}
    assert [row["id"] for row in admin.get("/api/v1/admin/accounts/suspended").json["accounts"]] == [scene["ana"].id]
    assert admin.post(f"/api/v1/admin/accounts/{scene['ana'].id}/status", json={"status": "active"}).status_code == 200

    assert admin.post("/api/v1/admin/terms", json={"text": "  "}).status_code == 422
    published = admin.post("/api/v1/admin/terms", json={"text": "Conditions, version 2"})
    assert published.status_code == 201 and published.json["version"] == 2
    me = Api(app, scene["ana"]).get("/api/v1/me").json
    assert (me["terms_version_accepted"], me["terms_version_current"]) == (1, 2)


def test_the_contact_form_logged_out_and_in_the_inbox_and_the_reply(app, scene):
    visitor = app.test_client()
    page = visitor.get("/contact/")
    assert page.status_code == 200 and "Un problème technique" in page.text
    refused = visitor.post("/contact/", data={"csrf_token": csrf_token(visitor, "/contact/"), "category": "question",
                                              "message": "", "reach_at": "camille@example.org"})
    assert refused.status_code == 400 and "camille@example.org" in refused.text
    assert visitor.post("/contact/", data={"csrf_token": csrf_token(visitor, "/contact/"), "category": "technical",
                                           "message": "La page plante", "reach_at": "camille@example.org"}).status_code == 302
    ana = logged_in(app, scene["ana"])
    assert post(ana, "/contact/", {"category": "question", "message": "Comment partager ?"}).status_code == 302
    admin = scene["admin"]
    inbox = admin.get("/admin/messages/")
    assert inbox.status_code == 200 and logged_in(app, scene["pro"]).get("/admin/messages/").status_code == 403
    with app.app_context():
        from webapp.contact.models import ContactMessage

        mine = db().scalar(select(ContactMessage).where(ContactMessage.account_id == scene["ana"].id)).id
        theirs = db().scalar(select(ContactMessage).where(ContactMessage.account_id.is_(None)))
        assert theirs.reach_at == "camille@example.org"
    assert "Comment partager ?" in admin.get(f"/admin/messages/{mine}").text
    assert post(admin, f"/admin/messages/{mine}", {"reply": "Ouvrez le document, puis « Partager ».", "close": "y"},
                token_page=f"/admin/messages/{mine}").status_code == 302
    answered = ana.get("/contact/mes-messages")
    assert "Ouvrez le document, puis « Partager »." in answered.text and "clos" in answered.text
    assert f"/admin/messages/{mine}" not in admin.get("/admin/messages/").text  # closed: not in the open inbox


def test_the_contact_api(app, scene):
    from .test_shared_part import Api

    anonymous = app.test_client().post("/api/v1/contact", json={"category": "question", "message": "Bonjour",
                                                                "reach_at": "06 12 34 56 78"})
    assert anonymous.status_code == 201 and not anonymous.json["from_account"]
    ana, admin = Api(app, scene["ana"]), Api(app, scene["admin_account"])
    sent = ana.post("/api/v1/contact", json={"category": "technical", "message": "Erreur", "reach_at": ""})
    assert sent.status_code == 201 and sent.json["from_account"]
    assert ana.post("/api/v1/contact", json={"category": "autre", "message": "x", "reach_at": ""}).status_code == 422
    assert ana.get("/api/v1/admin/contact").status_code == 403
    assert len(admin.get("/api/v1/admin/contact").json["messages"]) == 2
    answered = admin.post(f"/api/v1/admin/contact/{sent.json['id']}", json={"reply": "Réglé.", "close": True})
    assert answered.json["status"] == "closed"
    assert [m["reply"] for m in ana.get("/api/v1/me/contact").json["messages"]] == ["Réglé."]
