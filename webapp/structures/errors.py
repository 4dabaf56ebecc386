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
