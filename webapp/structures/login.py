"""What a staff or administrator session checks and prepares when it starts.

A member's session opens the current generation of each of their structures and checks it against
the certified record and the signed roster: a forged or replayed row stops the login. A structure
whose wrap waits for a re-wrap (the member's password was reset) is skipped, and the session completes
the wraps that wait for other members of the structures it opened (`staff_recovery.py`). An
administrator's session passes the platform review key on to administrators who lack it. A
beneficiary's session completes the affiliations they confirmed by SMS while away (`affiliations.py`).
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from keyservice.client import KeyServiceClient
from vaultcore.keys import IdentityKeys

from ..accounts.models import Account
from ..clock import now
from .affiliations import complete_pending_grants
from .departures import complete_departures
from .review_keys import ReviewKeys
from .services import STAFF_ROLES, Actor, check_structure_keys
from .staff_recovery import complete_waiting_wraps


def on_login(db: Session, keys: KeyServiceClient, account: Account, identity: IdentityKeys) -> None:
    """Raises StructureKeysInvalid when a structure's keys do not verify."""
    if account.role == "admin":
        ReviewKeys(db, keys).share_with_administrators(account.id, account.identity_version, identity)
    elif account.role in STAFF_ROLES:
        member = Actor(account.id, account.identity_version, identity)
        complete_waiting_wraps(db, keys, member, check_structure_keys(db, keys, account, member))
        complete_departures(db, keys, Actor(account.id, account.identity_version, identity))
    elif account.role == "beneficiary":
        owner = Actor(account.id, account.identity_version, identity)
        complete_pending_grants(db, keys, owner, now())
