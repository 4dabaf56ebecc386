"""A notice's words, written when it is shown, in the reader's language. The SMS that go with some
of them say less (no Relais, no name: a phone's screen is read by others) and fit in 160 characters."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from ..accounts.models import Account
from ..structures.models import Structure
from ..structures.traceability import person_name
from .models import Notice


def text(db: Session, notice: Notice) -> str:
    day = notice.on_day.strftime("%d/%m/%Y")
    structure = db.get(Structure, notice.structure_id) if notice.structure_id else None
    relais = structure.name if structure else _("un Relais fermé")
    if notice.beneficiary_id is None:
        return _to_beneficiary(notice.kind, relais, day)
    person = person_name(db.get(Account, notice.beneficiary_id)) or _("une personne dont le compte est supprimé")
    return _to_staff(notice.kind, relais, person, day)


def idle_affiliation_sms(day: str) -> str:
    return _("Cloud Solidaire : un de vos Relais n'a rien consulté dans votre partage depuis près de 2 ans. Son accès "
             "prendra fin le %(day)s. Détails dans votre compte.", day=day)


def inactive_account_sms(day: str) -> str:
    return _("Cloud Solidaire : votre compte n'a pas servi depuis près de 10 ans. Il sera supprimé le %(day)s avec "
             "tout son contenu. Pour le garder, connectez-vous avant.", day=day)


def _to_beneficiary(kind: str, relais: str, day: str) -> str:
    if kind == "affiliation_idle_warning":
        return _("Le Relais %(relais)s n'a rien consulté ni ajouté dans votre partage depuis presque 2 ans. Sans "
                 "activité de sa part, votre rattachement à ce Relais prendra fin le %(day)s. Vous n'avez rien à faire : "
                 "vos documents restent à vous.", relais=relais, day=day)
    if kind == "affiliation_ended_idle":
        return _("Votre rattachement au Relais %(relais)s a pris fin le %(day)s : ce Relais n'avait plus rien "
                 "consulté ni ajouté dans votre partage depuis 2 ans. Il n'a plus accès à vos documents.",
                 relais=relais, day=day)
    return _("Votre compte n'avait pas servi depuis près de 10 ans : il devait être supprimé le %(day)s avec tout "
             "son contenu. Votre connexion le garde, vous n'avez rien d'autre à faire.", day=day)


def _to_staff(kind: str, relais: str, person: str, day: str) -> str:
    if kind == "affiliation_idle_warning":
        return _("Votre Relais %(relais)s n'a rien consulté ni ajouté dans le partage de %(person)s depuis presque "
                 "2 ans. Le rattachement prendra fin le %(day)s, sauf si un membre du Relais consulte ou complète son "
                 "partage d'ici là.", relais=relais, person=person, day=day)
    return _("Le rattachement de %(person)s à votre Relais %(relais)s a pris fin le %(day)s, après 2 ans sans "
             "activité du Relais dans son partage. Pour le reprendre, demandez un nouveau rattachement.",
             person=person, relais=relais, day=day)
