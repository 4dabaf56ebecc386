"""Command-line administration: `python -m webapp COMMAND` (or `flask --app webapp COMMAND`).

    migrate              bring the database schema up to date (Alembic)
    create-admin ID      create a platform administrator; prints a one-time password
    publish-terms FILE   publish a new version of the terms of service
    verify-journal [CHAIN…] [--all]
                         check accounts' tamper-evident journals (also `vault verify-journal`);
                         exit status 1 when one does not verify
"""
from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from . import clock
from .accounts import services
from .accounts.models import Person, TermsVersion
from .accounts import terms_publishing
from .audit import journal
from .audit.models import JournalHead
from .database import db

TERMS_V1 = Path(__file__).parent / "terms" / "cgs-v1-fr.txt"


def register(app: Flask) -> None:
    app.cli.add_command(create_admin)
    app.cli.add_command(publish_terms)
    app.cli.add_command(verify_journal)
    app.cli.add_command(vault)


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
    terms = terms_publishing.publish_terms(db(), text_file.read_text(encoding="utf-8"))
    db().commit()
    click.echo(f"Terms version {terms.version} published.")


def ensure_terms() -> None:
    """The first version of the terms ships with the code."""
    if services.current_terms(db()) is None:
        db().add(TermsVersion(version=1, text=TERMS_V1.read_text(encoding="utf-8")))


@click.command("verify-journal")
@click.argument("chains", nargs=-1)
@click.option("--all", "every_chain", is_flag=True, help="Every chain of the journal.")
@with_appcontext
def verify_journal(chains: tuple[str, ...], every_chain: bool) -> None:
    """Recompute the journal of each account id given (or every chain) against its signed head."""
    if not chains and not every_chain:
        raise click.UsageError("name account ids, or --all")
    names = list(chains) or list(db().scalars(select(JournalHead.chain_id).order_by(JournalHead.chain_id)))
    broken = 0
    for chain in names:
        verdict = journal.verify(db(), current_app.extensions["keys"], chain, clock.now())
        if verdict.intact:
            click.echo(f"{chain}: intact, {verdict.events} events, signed up to event {verdict.signed_seq}")
        else:
            broken += 1
            where = f"first wrong event {verdict.broken_at}" if verdict.broken_at else "signed head missing, stale or past the end"
            click.echo(f"{chain}: DOES NOT VERIFY ({where}; {verdict.events} events verify before it)")
    click.echo(f"{len(names)} journals checked, {broken} do not verify.")
    if broken:
        raise click.exceptions.Exit(1)


@click.group("vault")
def vault() -> None:
    """Cloud Solidaire's own commands."""


vault.add_command(verify_journal)
