"""Named errors of moderation. Messages are for logs; the interface shows its own words."""


class ModerationError(Exception):
    code = "moderation_error"


class ReportNotFound(ModerationError):
    """No such report, or nothing the reporter may report (answers 404 alike)."""

    code = "report_not_found"


class NoticeNotFound(ModerationError):
    code = "notice_not_found"


class AlreadyDecided(ModerationError):
    code = "already_decided"


class NothingAttached(ModerationError):
    code = "nothing_attached"


class NotApplicable(ModerationError):
    """The decision does not fit the report (removing an item from an account report, suspending an
    administrator, …)."""

    code = "not_applicable"
