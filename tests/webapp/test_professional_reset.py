"""The reset with a professional, private part lost (R14), on both backends: every private item
unreadable and gone, every shared item readable by the person and by every affiliated Relais, old
signatures and the affiliation set still verifying, the confirmation required, strangers refused."""
from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from vaultcore import bundle, item as items, oprf, unlock
from vaultcore.errors import CryptoError
from webapp.accounts import services as accounts
from webapp.accounts.models import Account, KeyBundle, Person
from webapp.accounts.secret_answer import open_with_answer
from webapp.audit.models import AuditEvent
from webapp.database import db
from webapp.reminders.models import Reminder
from webapp.reminders.services import ReminderRequest, Reminders
from webapp.sms.models import SmsMessage
from webapp.structures.shared_access import SharedAccess
from webapp.vault.affiliation_set import AffiliationSets
from webapp.vault.keyring import Keyring
from webapp.vault.models import Item
from webapp.vault.services import Vault

from .conftest import csrf_token, log_in
from .relais import add_member, affiliate, fresh, make_structure, unlock as unlock_staff
from .test_shared_part import Api, pdf
from .test_sharing import vault_of

NEW_PASSWORD = "une nouvelle phrase pour ce compte remis a zero"
QUESTION, ANSWER = "Le nom de mon premier chien ?", "Rex"
PHONE = "+33612345678"


@pytest.fixture
def scene(app, make_account):
    """Ana, affiliated to Relais Nord and Relais Est, shares a note, a PDF and a folder holding a note;
    keeps private a note, a PDF (with a thumbnail blob), an appointment with an SMS reminder and a
    folder holding a contact, and (put there by the database) a shared note. Relais Sud is a stranger
    to her."""
    with app.test_request_context():
        north, north_manager = make_structure(app, "Relais Nord")
        east, east_manager = make_structure(app, "Relais Est")
        south, south_manager = make_structure(app, "Relais Sud")
        pro, east_pro, stranger = (make_account("professional") for _ in range(3))
        add_member(app, north, north_manager, pro)
        add_member(app, east, east_manager, east_pro)
        add_member(app, south, south_manager, stranger)
        ana = make_account()
        affiliate(app, ana, north, contributions=True)
        affiliate(app, ana, east)
        db().get(Person, ana.id).phone = PHONE
        store = app.extensions["blobs"]
        vault = vault_of(app, ana)
        shared = {
            "note": vault.create_record_item("note", {"title": "Note partagée", "text": "canari-partage"}, shared=True).id,
            "pdf": vault.create_document({"title": "Attestation", "file_name": "attestation.pdf", "mime": "application/pdf"},
                                         store, [pdf("canari-document")], shared=True).id,
        }
        shared_folder = vault.create_record_item("folder", {"name": "Papiers partagés"}, shared=True).id
        shared["folder"] = shared_folder
        shared["in_folder"] = vault.create_record_item("note", {"title": "Dans le dossier partagé"}, shared=True,
                                                       folder_id=shared_folder).id
        shared["stray"] = vault.create_record_item("note", {"title": "Partagée égarée"}, shared=True).id
        private_folder = vault.create_record_item("folder", {"name": "Privé"}).id
        appointment = vault.create_record_item("appointment", {"title": "Avocat", "date": "2030-01-02", "time": "10:00"})
        db().commit()
        planner = Reminders(db(), author_id=ana.id, now=datetime.now(timezone.utc))
        reminder = planner.schedule(appointment, ana.id, ReminderRequest(
            preset="day_before", phone_e164=PHONE, text=planner.default_text(appointment)))
        private = {
            "note": vault.create_record_item("note", {"title": "Note privée", "text": "canari-prive"}).id,
            "pdf": vault.create_document({"title": "Secret", "file_name": "secret.pdf", "mime": "application/pdf"},
                                         store, [pdf("canari-secret")]).id,
            "appointment": appointment.id,
            "folder": private_folder,
            "contact": vault.create_record_item("contact", {"name": "Ma soeur"}, folder_id=private_folder).id,
        }
        store.put(f"items/{private['pdf']}/1-thumbnail", [b"une vignette chiffree"])
        reminder_sms = db().get(Reminder, reminder.id).sms_message_id
        db().commit()
        db().get(Item, shared["stray"]).folder_id = private_folder  # only a database writer puts it there
        db().commit()
    return {"north": north, "east": east, "south": south, "pro": pro, "east_pro": east_pro, "stranger": stranger,
            "ana": ana, "shared": shared, "private": private, "reminder_sms": reminder_sms}


def renewed_vault(app, made) -> Vault:
    owner = unlock_staff(app, made.identifier, NEW_PASSWORD)
    return Vault(db(), app.extensions["keys"], owner.id, owner.version, owner.identity)


def reset_page(scene, structure_key="north"):
    return f"/relais/{scene[structure_key].id}/rattachements/{scene['ana'].id}/mot-de-passe-perdu/reinitialiser"


def form(client, path, **changes):
    data = {"csrf_token": csrf_token(client, path), "understood": "y", "new_password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD, "secret_question": QUESTION, "secret_answer": ANSWER}
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def copy_of(app, owner_id):
    """The rows and blobs a thief could have kept from before the reset."""
    store = app.extensions["blobs"]
    rows = [(row.id, row.revision, row.owner_wrap, row.owner_wrap_signer_id, row.meta, row.blob_name)
            for row in db().scalars(select(Item).where(Item.owner_id == owner_id))]
    blobs = {name: b"".join(store.open(name)) for row in rows for name in store.names(f"items/{row[0]}/")}
    bundles = [(row.factor, row.key_version, row.blob) for row in db().scalars(
        select(KeyBundle).where(KeyBundle.account_id == owner_id))]
    return rows, blobs, bundles


def test_the_reset_keeps_every_shared_item_and_no_private_one(app, scene):
    ana, shared, private = scene["ana"], scene["shared"], scene["private"]
    store = app.extensions["blobs"]
    with app.app_context():
        rows, blobs, bundles = copy_of(app, ana.id)
    assert any(name.endswith("-thumbnail") for name in blobs)
    pro = app.test_client()
    log_in(pro, scene["pro"])
    page = pro.get(reset_page(scene))
    assert page.status_code == 200
    assert "effacé" in page.text and "Personne ne pourra les retrouver" in page.text
    assert "1 document privé" in page.text and "1 dossier privé" in page.text
    done = pro.post(reset_page(scene), data=form(pro, reset_page(scene)))
    assert done.status_code == 200, done.text
    assert ana.identifier in done.text and "nouveau mot de passe" in done.text

    with app.app_context():
        keys = app.extensions["keys"]
        unlocked = accounts.authenticate(db(), keys, ana.identifier, NEW_PASSWORD)
        assert unlocked.account.identity_version == 2
        vault = renewed_vault(app, ana)
        assert {view.id for view in vault.list_items()} == set(shared.values())
        assert b"".join(vault.open_content(shared["pdf"], store)) == pdf("canari-document")
        assert vault.get(shared["note"]).metadata["text"] == "canari-partage"
        assert db().get(Item, shared["stray"]).folder_id is None  # its private folder went: it is at the root
        assert db().get(Item, shared["in_folder"]).folder_id == shared["folder"]
        for item_id in private.values():
            assert db().get(Item, item_id) is None
            assert list(store.names(f"items/{item_id}/")) == []

        # The copy, with every key the new password unlocks: no private item decrypts.
        opened = 0
        for item_id, revision, owner_wrap, signer_id, meta, _blob in rows:
            if item_id not in private.values():
                continue
            ref = items.ItemRef(item_id, ana.id, revision)
            for version in (1, 2):
                try:
                    items.unwrap_item_key(owner_wrap, unlocked.identity.box, ref, version, signer_id,
                                          Keyring(db(), keys).wrap_signer(signer_id, owner_wrap))
                    opened += 1
                except CryptoError:
                    pass
        for factor, key_version, blob in bundles:
            opened += _bundle_opens(keys, ana.id, factor, key_version, blob, unlock.normalise_password(NEW_PASSWORD))
        assert opened == 0


def _bundle_opens(keys, account_id, factor, key_version, blob, secret) -> int:
    data = unlock.oprf_input(account_id, factor, secret)
    blind, blinded = oprf.blind(data)
    try:
        evaluated = keys.evaluate(account_id, factor, blinded).evaluated
    except Exception:  # noqa: BLE001 - a forgotten factor answers NotEnrolled: nothing opens
        return 0
    context = bundle.bundle_context(account_id, factor, key_version)
    try:
        identity = bundle.open_bundle(blob, context, bundle.unlock_keys_for(blob, context,
                                                                            oprf.finalize(data, blind, evaluated)))
    except CryptoError:
        return 0
    return int(identity is not None)


def test_after_the_reset_everything_shared_still_verifies_and_works_both_ways(app, scene):
    ana = scene["ana"]
    pro = app.test_client()
    log_in(pro, scene["pro"])
    assert pro.post(reset_page(scene), data=form(pro, reset_page(scene))).status_code == 200
    with app.app_context():
        keys = app.extensions["keys"]
        vault = renewed_vault(app, ana)
        # Sealed by Ana's first identity, checked through the history.
        assert vault.get(scene["shared"]["note"]).metadata["title"] == "Note partagée"
        assert AffiliationSets(db(), keys, Keyring(db(), keys)).current(ana.id) == {scene["north"].id, scene["east"].id}
        for structure_key, member_key in (("north", "pro"), ("east", "east_pro")):
            member = unlock_staff(app, scene[member_key].identifier)
            access = SharedAccess(db(), keys, fresh(scene[structure_key]), member, ana.id)
            assert {view.id for view in access.list_items()} == set(scene["shared"].values())
        db().commit()

        after = vault.create_record_item("note", {"title": "Après", "text": "canari-apres"}, shared=True)
        db().commit()
        east = SharedAccess(db(), keys, fresh(scene["east"]), unlock_staff(app, scene["east_pro"].identifier), ana.id)
        assert east.get(after.id).metadata["text"] == "canari-apres"
        north = SharedAccess(db(), keys, fresh(scene["north"]), unlock_staff(app, scene["pro"].identifier), ana.id)
        added = north.add_record_item("note", {"title": "Du Relais", "text": "canari-relais"})
        db().commit()
        assert renewed_vault(app, ana).get(added.id).metadata["text"] == "canari-relais"


def test_the_reset_is_traced_notified_and_the_new_answer_works(app, scene):
    ana = scene["ana"]
    pro = app.test_client()
    log_in(pro, scene["pro"])
    assert pro.post(reset_page(scene), data=form(pro, reset_page(scene))).status_code == 200
    with app.app_context():
        event = db().scalars(select(AuditEvent).where(AuditEvent.action == "account.reset_by_professional")).one()
        assert (event.actor_id, event.subject_id, event.structure_id) == (scene["pro"].id, ana.id, scene["north"].id)
        assert event.details == {"lost_document": 1, "lost_note": 1, "lost_contact": 1, "lost_appointment": 1,
                                 "lost_folder": 1, "shared_kept": 5}
        assert db().get(SmsMessage, scene["reminder_sms"]).status == "cancelled"  # its appointment went
        notice = db().scalars(select(SmsMessage).where(SmsMessage.account_id == ana.id,
                                                       SmsMessage.purpose == "notice")).one()
        assert notice.phone_e164 == PHONE and NEW_PASSWORD not in notice.body and ANSWER not in notice.body
        assert db().get(Person, ana.id).secret_question == QUESTION
        assert db().get(KeyBundle, (ana.id, "answer")) is not None
        identity = open_with_answer(db(), app.extensions["keys"], db().get(Account, ana.id), ANSWER, scene["pro"].id)
        assert identity.verify_key == Keyring(db(), app.extensions["keys"]).current_identity(ana.id).verify_key
    person = app.test_client()
    log_in(person, type(ana)(ana.identifier, NEW_PASSWORD, ana.id))
    traces = person.get("/qui-a-consulte/")
    assert "remis votre compte à zéro" in traces.text


def test_an_open_session_of_the_person_stops(app, scene):
    ana = app.test_client()
    log_in(ana, scene["ana"])
    assert ana.get("/coffre/").status_code == 200
    pro = app.test_client()
    log_in(pro, scene["pro"])
    assert pro.post(reset_page(scene), data=form(pro, reset_page(scene))).status_code == 200
    assert ana.get("/coffre/").status_code == 302


def test_without_the_checkbox_nothing_changes_and_the_form_keeps_what_was_typed(app, scene):
    pro = app.test_client()
    log_in(pro, scene["pro"])
    refused = pro.post(reset_page(scene), data=form(pro, reset_page(scene), understood=None))
    assert refused.status_code == 400
    assert "Cochez la case" in refused.text
    assert re.search(r'name="secret_question"[^>]*value="Le nom de mon premier chien \?"', refused.text)
    assert 'aria-describedby="understood-error"' in refused.text
    with app.app_context():
        assert db().get(Account, scene["ana"].id).identity_version == 1
        assert all(db().get(Item, item_id) is not None for item_id in scene["private"].values())
        accounts.authenticate(db(), app.extensions["keys"], scene["ana"].identifier, scene["ana"].password)
        assert app.extensions["keys"].high_water("identity", scene["ana"].id) == 1


def test_a_weak_password_changes_nothing(app, scene):
    pro = app.test_client()
    log_in(pro, scene["pro"])
    refused = pro.post(reset_page(scene), data=form(pro, reset_page(scene), new_password="court", confirm="court"))
    assert refused.status_code == 400
    with app.app_context():
        assert db().get(Account, scene["ana"].id).identity_version == 1
        assert app.extensions["keys"].high_water("identity", scene["ana"].id) == 1


def test_a_stranger_gets_404_and_a_beneficiary_cannot_call_it(app, scene):
    stranger = app.test_client()
    log_in(stranger, scene["stranger"])
    assert stranger.get(reset_page(scene, "south")).status_code == 404
    assert stranger.get(reset_page(scene)).status_code == 404
    assert stranger.post(reset_page(scene, "south"), data={"understood": "y"}).status_code in (400, 404)
    api = Api(app, scene["stranger"])
    path = f"/api/v1/structures/{scene['south'].id}/beneficiaries/{scene['ana'].id}/recovery/reset"
    assert api.get(path).status_code == 404
    assert api.post(path, json={}).status_code == 404  # before the body is read
    elsewhere = f"/api/v1/structures/{scene['north'].id}/beneficiaries/{scene['ana'].id}/recovery/reset"
    assert api.post(elsewhere, json={"kind": "note"}).status_code == 404  # not a member of Ana's Relais
    person = Api(app, scene["ana"])
    own = f"/api/v1/structures/{scene['north'].id}/beneficiaries/{scene['ana'].id}/recovery/reset"
    assert person.get(own).status_code == 403
    assert person.post(own, json={"understood": True, "new_password": NEW_PASSWORD, "secret_question": QUESTION,
                                  "secret_answer": ANSWER}).status_code == 403
    browser = app.test_client()
    log_in(browser, scene["ana"])
    assert browser.get(reset_page(scene)).status_code == 403
    with app.app_context():
        assert db().get(Account, scene["ana"].id).identity_version == 1


def test_the_api_previews_requires_the_confirmation_and_resets(app, scene):
    api = Api(app, scene["pro"])
    path = f"/api/v1/structures/{scene['north'].id}/beneficiaries/{scene['ana'].id}/recovery/reset"
    preview = api.get(path)
    assert preview.json == {"lost": {"document": 1, "note": 1, "contact": 1, "appointment": 1, "folder": 1},
                            "private_items": 4}
    body = {"understood": False, "new_password": NEW_PASSWORD, "secret_question": QUESTION, "secret_answer": ANSWER}
    refused = api.post(path, json=body)
    assert (refused.status_code, refused.json["error"]["code"]) == (400, "confirmation_required")
    done = api.post(path, json={**body, "understood": True})
    assert done.status_code == 200, done.json
    assert done.json["shared_kept"] == 5 and done.json["private_items"] == 4
    with app.app_context():
        assert accounts.authenticate(db(), app.extensions["keys"], scene["ana"].identifier, NEW_PASSWORD)


def test_the_lost_password_page_offers_the_reset(app, scene):
    pro = app.test_client()
    log_in(pro, scene["pro"])
    page = pro.get(f"/relais/{scene['north'].id}/rattachements/{scene['ana'].id}/mot-de-passe-perdu")
    assert page.status_code == 200 and reset_page(scene) in page.text


def test_the_shared_part_page_leads_to_the_lost_password_page(app, scene):
    pro = app.test_client()
    log_in(pro, scene["pro"])
    options = f"/relais/{scene['north'].id}/rattachements/{scene['ana'].id}/mot-de-passe-perdu"
    shared = pro.get(f"/relais/{scene['north'].id}/partages/{scene['ana'].id}")
    assert shared.status_code == 200 and f'href="{options}"' in shared.text
    assert reset_page(scene) in pro.get(options).text
