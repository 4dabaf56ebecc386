"""Named errors of the reminders domain; the pages and the API say them in plain words (`messages.py`)."""


class ReminderError(Exception):
    code = "reminder_error"


class ReminderNotFound(ReminderError):
    code = "not_found"


class NotAnAppointment(ReminderError):
    code = "not_an_appointment"


class MomentPassed(ReminderError):
    """The send time (or the appointment) is already past."""

    code = "moment_passed"


class NotBeforeAppointment(ReminderError):
    code = "not_before_appointment"


class NeedsAppointmentTime(ReminderError):
    """"2 hours before" an appointment that has no time."""

    code = "needs_appointment_time"


class NoDecentMoment(ReminderError):
    """Between now and the appointment, no moment falls between 8:00 and 20:00."""

    code = "no_decent_time"


class MissingChosenMoment(ReminderError):
    code = "missing_moment"


class InvalidText(ReminderError):
    code = "invalid_text"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class NoConfirmedPhone(ReminderError):
    """A professional's reminder goes only to the beneficiary's confirmed mobile, and there is none."""

    code = "no_phone"


class AlreadySent(ReminderError):
    """The SMS has left: it can no longer be changed."""

    code = "already_sent"
