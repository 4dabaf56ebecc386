"""Command-line administration: `python -m webapp COMMAND` (or `flask --app webapp COMMAND`).

    migrate              bring the database schema up to date (Alembic)
    create-admin ID      create a platform administrator; prints a one-time password
    publish-terms FILE   publish a new version of the terms of service
"""
from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from .accounts import services
from .accounts.models import Person, TermsVersion
from .database import db

TERMS_V1 = Path(__file__).parent / "terms" / "cgs-v1-fr.txt"


def register(app: Flask) -> None:
    app.cli.add_command(create_admin)
    app.cli.add_command(publish_terms)


@click.command("create-admin")
@click.argument("identifier")
@click.option("--first-name", default="Admin")
@click.option("--last-name", default="Plateforme")
@with_appcontext
def create_admin(identifier: str, first_name: str, last_name: str) -> None:
    """Create a platform administrator with a one-time password to change at first login."""
    password = services.generated_password() + "-" + services.generated_password()
    services.create_account(
        db(), current_app.extensions["keys"], identifier=identifier, role="admin", password=password,
        person=Person(first_name=first_name, last_name=last_name), must_change_password=True,
    )
    ensure_terms()
    db().commit()
    click.echo(f"Administrator {identifier} created. One-time password (shown once, to change at first login):")
    click.echo(password)


@click.command("publish-terms")
@click.argument("text_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def publish_terms(text_file: Path) -> None:
    """Every user must accept the new version at their next login (R10)."""
    latest = services.current_terms(db())
    version = (latest.version if latest else 0) + 1
    db().add(TermsVersion(version=version, text=text_file.read_text(encoding="utf-8")))
    db().commit()
    click.echo(f"Terms version {version} published.")


def ensure_terms() -> None:
    """The first version of the terms ships with the code."""
    if services.current_terms(db()) is None:
        db().add(TermsVersion(version=1, text=TERMS_V1.read_text(encoding="utf-8")))
