"""The platform administrators' console: one module per page group, each with its own blueprint."""
from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def admin_only(view):
    """A page of the console: a visitor is sent to log in, anyone but a platform administrator gets 403."""
    @wraps(view)
    @login_required
    def checked(*args, **kwargs):
        if current_user.role != "admin":
            abort(403)
        return view(*args, **kwargs)

    return checked
