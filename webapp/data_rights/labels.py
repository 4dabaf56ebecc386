"""Plain words for the journal's events on "Mes données"; an event not named here shows its code."""
from flask_babel import lazy_gettext as _l

EVENT_LABELS = {
    "account.created": _l("Compte ouvert"),
    "beneficiary.created": _l("Compte ouvert par un Relais"),
    "login.succeeded": _l("Connexion"),
    "login.failed": _l("Mot de passe faux"),
    "password.changed": _l("Mot de passe changé"),
    "terms.accepted": _l("Conditions acceptées"),
    "secret_answer.set": _l("Réponse secrète choisie"),
    "secret_answer.confirmed": _l("Réponse secrète utilisée"),
    "secret_answer.wrong": _l("Réponse secrète fausse"),
    "phone.confirmed": _l("Téléphone confirmé"),
    "phone.removed": _l("Téléphone retiré"),
    "affiliation.started": _l("Un Relais a demandé à vous accompagner"),
    "affiliation.confirmed": _l("Relais accepté"),
    "affiliation.declined": _l("Relais refusé"),
    "affiliation.ended": _l("Fin avec un Relais"),
    "affiliation.idle_warned": _l("Fin annoncée avec un Relais sans activité depuis près de 2 ans"),
    "account.inactivity_warned": _l("Suppression annoncée du compte, inutilisé depuis près de 10 ans"),
    "profile.rectified": _l("Informations corrigées"),
    "data.exported": _l("Export de toutes vos données"),
    "staff.password_reset": _l("Mot de passe remplacé par un gestionnaire ou par l'équipe"),
    "structure.keys_rewrapped": _l("Accès à un Relais rétabli"),
    "affiliation.regrant_awaited": _l("Nouvelles clés d'un Relais : son accès revient à votre prochaine connexion"),
}
STRUCTURE_STATES = {
    "pending": _l("demande en attente"), "confirmed": _l("accepté, actif à la prochaine connexion"),
    "active": _l("vous accompagne"), "ended": _l("terminé"), "member": _l("vous y travaillez"),
}
