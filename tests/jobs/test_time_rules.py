"""The time rules (docs/time-rules.md) on a clock the tests move: R16c ends an affiliation idle for 2
years, R16b deletes a beneficiary's account inactive for 10 years, each on its day and not the day
before, after notices given once (in the app, and by SMS to a confirmed mobile). In process with
`run_due` (embedded), and through a real `python -m jobs worker` (services)."""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from rq.job import Job
from sqlalchemy import or_, select

from jobs.runner import LAST_RUNS, run_due
from tests.services import redis_client
from tests.webapp.conftest import make_account  # noqa: F401  (a fixture)
from tests.webapp.relais import add_member, affiliate, make_structure, unlock
from webapp import clock as app_clock
from webapp.accounts.models import Account, Person
from webapp.audit.models import AuditEvent
from webapp.database import db
from webapp.notices.models import Notice
from webapp.sms.models import SmsMessage
from webapp.structures.models import Affiliation, Structure
from webapp.structures.shared_access import SharedAccess
from webapp.tasks import enqueue
from webapp.vault.models import EpochWrap

from .test_rq import run_worker

PARIS = ZoneInfo("Europe/Paris")
START = datetime(2030, 3, 10, 15, 0, tzinfo=PARIS)  # the last activity: ana logs in, the Relais reads
PHONE = "+33612345678"
IDLE = "jobs.time_rules.warn_and_end_idle_affiliations"
INACTIVE = "jobs.time_rules.warn_and_delete_inactive_accounts"


def paris(year, month, day, hour=0, minute=1) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


@pytest.fixture
def world(app, clock, make_account):
    """Relais Nord (its manager and a professional); Ana, with a confirmed mobile, affiliated to it,
    and the professional reading her shared part, all on START."""
    clock.now = START.timestamp()
    with app.app_context():
        north, manager = make_structure(app, "Relais Nord")
        pro, ana = make_account("professional"), make_account("beneficiary")
        add_member(app, north, manager, pro)
        db().get(Person, ana.id).phone = PHONE
        affiliate(app, ana, north)
        consult(app, north.id, pro, ana.id)
    return {"north": north.id, "manager": manager, "pro": pro, "ana": ana}


def consult(app, structure_id: str, staff, beneficiary_id: str) -> None:
    """A member of the Relais lists the beneficiary's shared part, at the app's clock."""
    access = SharedAccess(db(), app.extensions["keys"], db().get(Structure, structure_id), unlock(app, staff.identifier),
                          beneficiary_id, clock=app_clock.now)
    access.list_items()
    db().commit()


def run_at(app, clock, moment: datetime) -> list[str]:
    """The embedded default's periodic tasks, run with the app's clock at `moment`; all of them, as
    `python -m jobs run-due` does from a fresh process (runs a minute apart are tested this way)."""
    clock.now = moment.timestamp()
    app.extensions.pop(LAST_RUNS, None)
    ran = run_due(app, moment.astimezone(timezone.utc))
    assert IDLE in ran and INACTIVE in ran
    return ran


def notices_of(app, account_id: str) -> list[tuple[str, str]]:
    with app.app_context():
        return [(notice.kind, notice.on_day.isoformat()) for notice in db().scalars(
            select(Notice).where(Notice.account_id == account_id).order_by(Notice.created_at, Notice.kind))]


def notice_sms(app, account_id: str) -> list[SmsMessage]:
    with app.app_context():
        return list(db().scalars(select(SmsMessage).where(SmsMessage.account_id == account_id,
                                                          SmsMessage.purpose == "notice")
                                 .order_by(SmsMessage.created_at)))


def affiliation(app, world) -> Affiliation:
    with app.app_context():
        row = db().get(Affiliation, (world["ana"].id, world["north"]))
        db().expunge(row)
        return row


def events(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        found = list(db().scalars(select(AuditEvent).where(AuditEvent.action == action)))
        for event in found:
            db().expunge(event)
        return found


# R16c, in process

@pytest.mark.parametrize("backend", ["embedded"])
def test_the_2_year_rule_warns_30_days_before_once_and_ends_on_the_day(app, clock, world):
    ana, pro, manager = world["ana"].id, world["pro"].id, world["manager"].id
    run_at(app, clock, paris(2032, 2, 8, 23, 59))  # the day before the notice
    assert notices_of(app, ana) == [] and affiliation(app, world).idle_notice_at is None

    run_at(app, clock, paris(2032, 2, 9))  # 2 years minus 30 days after 10/03/2030
    warning = [("affiliation_idle_warning", "2032-03-10")]
    assert notices_of(app, ana) == notices_of(app, pro) == notices_of(app, manager) == warning
    [sms] = notice_sms(app, ana)
    assert sms.phone_e164 == PHONE and "10/03/2032" in sms.body and "Relais Nord" not in sms.body
    assert len(sms.body) <= 160
    assert sms.send_after == paris(2032, 2, 9, 8, 0)  # not at night
    assert [event.details["ends_on"] for event in events(app, "affiliation.idle_warned")] == ["2032-03-10"]

    run_at(app, clock, paris(2032, 2, 9, 18, 0))  # the same day, and later: nothing twice
    run_at(app, clock, paris(2032, 3, 9, 23, 59))  # the day before the end
    assert notices_of(app, ana) == warning and len(notice_sms(app, ana)) == 1
    assert affiliation(app, world).status == "active"

    run_at(app, clock, paris(2032, 3, 10))  # 2 years after the last activity
    ended = affiliation(app, world)
    assert (ended.status, ended.ended_by) == ("ended", "rule")
    assert ended.ended_at == paris(2032, 3, 10)
    with app.app_context():
        assert db().scalars(select(EpochWrap).where(EpochWrap.owner_id == ana,
                                                   EpochWrap.recipient_id == world["north"])).all() == []
    [event] = events(app, "affiliation.ended")
    assert (event.actor_id, event.subject_id, event.details["by"]) == ("rule", ana, "rule")
    for account_id in (ana, pro, manager):
        assert notices_of(app, account_id)[-1] == ("affiliation_ended_idle", "2032-03-10")
    run_at(app, clock, paris(2032, 3, 11))
    assert len(notices_of(app, ana)) == 2 and len(events(app, "affiliation.ended")) == 1


@pytest.mark.parametrize("backend", ["embedded"])
def test_activity_after_the_notice_starts_a_new_countdown(app, clock, world):
    run_at(app, clock, paris(2032, 2, 9))
    assert len(notices_of(app, world["ana"].id)) == 1
    clock.now = paris(2032, 2, 15, 12, 0).timestamp()
    with app.app_context():
        consult(app, world["north"], world["pro"], world["ana"].id)

    run_at(app, clock, paris(2032, 3, 10))  # the old day passes: still affiliated, nobody told again
    assert affiliation(app, world).status == "active" and len(notices_of(app, world["ana"].id)) == 1
    run_at(app, clock, paris(2034, 1, 15, 23, 59))
    assert len(notices_of(app, world["ana"].id)) == 1
    run_at(app, clock, paris(2034, 1, 16))  # 2 years minus 30 days after 15/02/2032
    assert notices_of(app, world["ana"].id)[-1] == ("affiliation_idle_warning", "2034-02-15")
    assert len(notice_sms(app, world["ana"].id)) == 2
    run_at(app, clock, paris(2034, 2, 14, 23, 59))
    assert affiliation(app, world).status == "active"
    run_at(app, clock, paris(2034, 2, 15))
    assert affiliation(app, world).status == "ended"


@pytest.mark.parametrize("backend", ["embedded"])
def test_a_late_notice_still_gives_30_days(app, clock, world):
    run_at(app, clock, paris(2032, 3, 20))  # the job did not run for weeks: past the day, nobody told yet
    assert affiliation(app, world).status == "active"
    assert notices_of(app, world["ana"].id) == [("affiliation_idle_warning", "2032-04-19")]
    run_at(app, clock, paris(2032, 4, 18, 23, 59))
    assert affiliation(app, world).status == "active"
    run_at(app, clock, paris(2032, 4, 19))
    assert affiliation(app, world).status == "ended"


@pytest.mark.parametrize("backend", ["embedded"])
def test_an_affiliation_waiting_for_the_person_s_login_ends_on_the_day_too(app, clock, world):
    """As after a Relais renewed its keys (staff recovery): confirmed, waiting for the person's login."""
    with app.app_context():
        db().get(Affiliation, (world["ana"].id, world["north"])).status = "confirmed"
        db().commit()
    run_at(app, clock, paris(2032, 2, 9))
    assert notices_of(app, world["ana"].id) == [("affiliation_idle_warning", "2032-03-10")]
    run_at(app, clock, paris(2032, 3, 9, 23, 59))
    assert affiliation(app, world).status == "confirmed"
    run_at(app, clock, paris(2032, 3, 10))
    assert (affiliation(app, world).status, affiliation(app, world).ended_by) == ("ended", "rule")


# R16b, in process

@pytest.mark.parametrize("backend", ["embedded"])
def test_the_10_year_rule_warns_90_and_30_days_before_and_deletes_on_the_day(app, clock, world):
    ana = world["ana"].id
    run_at(app, clock, paris(2039, 12, 10, 23, 59))  # the first run in years: R16c tells about the affiliation
    assert [kind for kind, _day in notices_of(app, ana)] == ["affiliation_idle_warning"]

    run_at(app, clock, paris(2039, 12, 11))  # 10 years minus 90 days after 10/03/2030
    assert notices_of(app, ana)[-1] == ("account_inactive_warning", "2040-03-10")
    first = notice_sms(app, ana)[-1]
    assert first.phone_e164 == PHONE and "10/03/2040" in first.body and "supprimé" in first.body
    assert len(first.body) <= 160
    run_at(app, clock, paris(2040, 1, 20))
    assert len(notice_sms(app, ana)) == 2  # the 2-year notice, then this one: nothing twice

    run_at(app, clock, paris(2040, 2, 8, 23, 59))
    assert len(notice_sms(app, ana)) == 2
    run_at(app, clock, paris(2040, 2, 9))  # minus 30 days
    assert notices_of(app, ana)[-1] == ("account_inactive_warning", "2040-03-10")
    assert len(notice_sms(app, ana)) == 3 and "10/03/2040" in notice_sms(app, ana)[-1].body
    assert [event.details["deleted_on"] for event in events(app, "account.inactivity_warned")] == ["2040-03-10"] * 2

    run_at(app, clock, paris(2040, 3, 9, 23, 59))
    with app.app_context():
        assert db().get(Account, ana).status == "active"
    run_at(app, clock, paris(2040, 3, 10))  # 10 years after the last activity
    with app.app_context():
        deleted = db().get(Account, ana)
        assert deleted.status == "deleted" and deleted.person is None
        assert deleted.last_professional_activity_at is None and deleted.inactivity_notice_at is None
    [event] = events(app, "account.deleted")
    assert (event.subject_id, event.actor_id, event.details["reason"]) == (ana, None, "inactivity")
    with app.app_context():  # her notices, and those that told the Relais about her, went with her
        assert db().scalars(select(Notice).where(or_(Notice.account_id == ana, Notice.beneficiary_id == ana))).all() == []


@pytest.mark.parametrize("backend", ["embedded", "services"])
def test_a_professional_s_activity_and_a_login_keep_the_account(app, clock, world):
    """The job called directly: the affiliation stays (R16c is not run), so a member can still read."""
    from jobs.time_rules import warn_and_delete_inactive_accounts

    def run(moment):
        clock.now = moment.timestamp()
        with app.app_context():
            return warn_and_delete_inactive_accounts()

    clock.now = paris(2035, 6, 1, 10, 0).timestamp()
    with app.app_context():
        consult(app, world["north"], world["pro"], world["ana"].id)
    assert run(paris(2039, 12, 11)) == {"warn": 0, "delete": 0}  # counted from 01/06/2035, not 10/03/2030
    assert run(paris(2045, 3, 2, 23, 59)) == {"warn": 0, "delete": 0}
    assert run(paris(2045, 3, 3)) == {"warn": 1, "delete": 0}  # 01/06/2045 minus 90 days
    assert notices_of(app, world["ana"].id)[-1] == ("account_inactive_warning", "2045-06-01")

    clock.now = paris(2045, 3, 20, 9, 0).timestamp()  # Ana logs in: a new countdown
    with app.app_context():
        unlock(app, world["ana"].identifier)
        db().commit()
    assert run(paris(2045, 6, 1)) == {"warn": 0, "delete": 0}
    with app.app_context():
        assert db().get(Account, world["ana"].id).status == "active"
    assert run(paris(2054, 12, 20)) == {"warn": 1, "delete": 0}  # 20/03/2055 minus 90 days


@pytest.mark.parametrize("backend", ["embedded"])
def test_without_a_confirmed_mobile_the_notice_is_in_the_app_only(app, clock, world):
    with app.app_context():
        db().get(Person, world["ana"].id).phone = None
        db().commit()
    run_at(app, clock, paris(2032, 2, 9))
    assert notices_of(app, world["ana"].id) == [("affiliation_idle_warning", "2032-03-10")]
    assert notice_sms(app, world["ana"].id) == []
    assert [event.details["sms"] for event in events(app, "affiliation.idle_warned")] == [False]


# Through Redis and a real worker process, on the machine's own clock

@pytest.mark.parametrize("backend", ["services"])
def test_both_rules_run_in_a_worker_process(app, settings, clock, make_account):
    long_ago = time.time() - 10 * 366 * 86400
    clock.now = long_ago
    with app.app_context():
        north, manager = make_structure(app, "Relais Nord")
        pro, ana = make_account("professional"), make_account("beneficiary")
        add_member(app, north, manager, pro)
        db().get(Person, ana.id).phone = PHONE
        affiliate(app, ana, north)
        consult(app, north.id, pro, ana.id)
        db().get(Account, ana.id).created_at = datetime.fromtimestamp(long_ago, timezone.utc)
        db().commit()
        enqueue(IDLE)
        enqueue(INACTIVE)
    run_worker(settings)  # the first run tells: nobody was told yet
    assert [kind for kind, _day in notices_of(app, ana.id)] == ["affiliation_idle_warning", "account_inactive_warning"]
    assert len(notice_sms(app, ana.id)) == 2

    told = datetime.now(timezone.utc) - timedelta(days=31)
    with app.app_context():
        db().get(Affiliation, (ana.id, north.id)).idle_notice_at = told
        db().get(Account, ana.id).inactivity_notice_at = told
        db().commit()
        jobs = [enqueue(IDLE), enqueue(INACTIVE)]
    assert [Job.fetch(job_id, connection=redis_client()).args for job_id in jobs] == [(), ()]  # nothing in Redis but names
    run_worker(settings)
    assert [event.details["by"] for event in events(app, "affiliation.ended")] == ["rule"]
    with app.app_context():  # and then the account went, with its affiliations
        assert db().get(Account, ana.id).status == "deleted"
        assert db().get(Affiliation, (ana.id, north.id)) is None
