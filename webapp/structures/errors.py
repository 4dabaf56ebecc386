"""Named errors of the structures domain. Messages are for logs; the interface shows its own words."""


class StructureError(Exception):
    code = "structure_error"


class StructureNotFound(StructureError):
    """No such structure, or not one the account may act for: the same answer, so ids leak nothing."""

    code = "not_found"


class ApplicationNotFound(StructureError):
    code = "not_found"


class AlreadyDecided(StructureError):
    code = "already_decided"


class ReviewUnavailable(StructureError):
    """No platform review key yet: an administrator has to log in once before applications open."""

    code = "review_unavailable"


class MemberNotFound(StructureError):
    code = "member_not_found"


class AlreadyMember(StructureError):
    code = "already_member"


class NotStaff(StructureError):
    """Only professionals and managers can join a structure."""

    code = "not_staff"


class LastManager(StructureError):
    code = "last_manager"


class BelongsElsewhere(StructureError):
    """The account is also a member of another structure: only its membership here can end."""

    code = "belongs_elsewhere"


class StructureKeysInvalid(StructureError):
    """A generation wrap or record failed its checks at login: the session does not start."""

    code = "structure_keys_invalid"


class BeneficiaryNotFound(StructureError):
    """No active beneficiary account with this id: the same answer whatever the reason."""

    code = "not_found"


class DuplicateAccount(StructureError):
    """R13: an account already exists with these names and birth date. `existing` are the ids of
    those accounts, so the professional can offer affiliation instead; nothing else is told."""

    code = "duplicate_account"

    def __init__(self, existing: list[str]) -> None:
        super().__init__("an account exists for this person")
        self.existing = existing


class AlreadyAffiliated(StructureError):
    code = "already_affiliated"


class NotPending(StructureError):
    """Nothing waits for the beneficiary's confirmation: start the procedure first."""

    code = "not_pending"


class NotAffiliated(StructureError):
    code = "not_affiliated"


class NoConfirmedPhone(StructureError):
    """The beneficiary has no confirmed mobile number: the SMS path is closed."""

    code = "no_phone"


class KeysWaiting(StructureNotFound):
    """The member's wrap of the current generation is missing or was made for an identity they no
    longer have (their password was reset): it waits for another member to re-wrap it
    (`staff_recovery.py`). Until then the structure's keys are out of reach, as if it were not theirs."""

    code = "keys_waiting"


class NotLastManager(StructureError):
    """A platform administrator resets only a structure's last manager; another manager does the rest."""

    code = "not_last_manager"
