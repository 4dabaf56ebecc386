"""The command line: Flask's own commands plus `serve` and `migrate`."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from . import create_app
from .migrations import upgrade


@click.group(cls=FlaskGroup, create_app=lambda: create_app(), add_default_commands=False)
def cli() -> None:
    """Cloud Solidaire."""


@cli.command("migrate")
@with_appcontext
def migrate() -> None:
    """Bring the database schema up to date."""
    upgrade(current_app.config["SETTINGS"].database_url)
    click.echo("Database schema up to date.")


@cli.command("serve")
@click.option("--host", default="127.0.0.1", envvar="HOST")
@click.option("--port", default=8000, envvar="PORT", type=int)
@with_appcontext
def serve(host: str, port: int) -> None:
    """Migrate, then serve the app (embedded default: one process, several threads)."""
    from .cli import ensure_terms
    from .database import db
    from .serving import run

    upgrade(current_app.config["SETTINGS"].database_url)
    ensure_terms()
    db().commit()
    click.echo(f"Cloud Solidaire: http://{host}:{port}/")
    click.echo("First administrator: .venv/bin/python -m webapp create-admin IDENTIFIER")
    run(current_app._get_current_object(), host, port)


def main() -> int:
    cli.main(prog_name="python -m webapp")
    return 0
