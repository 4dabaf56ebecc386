"""`python -m jobs worker|scheduler|run-due`, with the web app's settings from the environment."""
from __future__ import annotations

import logging
from datetime import datetime, timezone

import click

from webapp import create_app

from . import WrongMode
from .production import periodic_scheduler, redis_connection, work
from .runner import run_due


class Commands(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except WrongMode as error:
            raise click.ClickException(str(error)) from error


@click.group(cls=Commands)
def cli() -> None:
    """Cloud Solidaire's background jobs."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")


@cli.command()
@click.option("--burst", is_flag=True, help="Quit once the queue is empty.")
def worker(burst: bool) -> None:
    """Run jobs from Redis (start as many as needed)."""
    work(create_app(), burst=burst)


@cli.command()
def scheduler() -> None:
    """Enqueue the periodic tasks on time (run exactly one)."""
    periodic_scheduler(redis_connection(create_app())).start()


@cli.command("run-due")
def run_due_now() -> None:
    """Embedded default: run what is due now; in a new process, every periodic task."""
    for name in run_due(create_app(), datetime.now(timezone.utc)):
        click.echo(f"ran {name}")


if __name__ == "__main__":
    cli.main(prog_name="python -m jobs")
