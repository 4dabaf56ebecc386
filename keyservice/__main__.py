"""`python -m keyservice`: serve the HTTP API, or act on the key service's storage as its operator.

    serve [--host 127.0.0.1] [--port 8700]  the HTTP API under gunicorn (1 worker, 4 threads)
    unlock ACCOUNT FACTOR                   give an account back its guesses for a factor
    rotate-signing-key                      a new active platform key; the old ones stay published
    platform-keys                           base64 verify keys, one a line, the active one first

Settings come from the environment (`config.py`). The operator commands need no token: they act
directly on the key service's own storage, which only its operator reaches.
"""
from __future__ import annotations

import argparse
import base64
import logging
import sys

from vaultcore.unlock import FACTORS

from .app import create_app, service_of
from .config import Config
from .errors import ConfigError, NotEnrolled
from .service import KeyService
from .serving import run_gunicorn


def serve(config: Config, host: str, port: int) -> int:
    config.require_token()
    # Built before gunicorn forks so a bad setting or database fails here, loudly, once; the
    # worker then opens its own connections.
    app = create_app(config)
    service_of(app).close()
    print(f"key service on http://{host}:{port}", flush=True)
    run_gunicorn(app, host, port, workers=1, worker_class="gthread", threads=4, graceful_timeout=10, proc_name="keyservice")
    return 0


def unlock(config: Config, account: str, factor: str) -> int:
    service = KeyService.from_config(config)
    try:
        guesses_left = service.unlock(account, factor)
    except NotEnrolled:
        print(f"keyservice: {account!r} has no {factor} key", file=sys.stderr)
        return 1
    finally:
        service.close()
    print(f"{account} {factor}: unlocked, {guesses_left} guesses")
    return 0


def rotate_signing_key(config: Config) -> int:
    service = KeyService.from_config(config)
    try:
        print(_b64(service.rotate_signing_key()))
    finally:
        service.close()
    return 0


def platform_keys(config: Config) -> int:
    service = KeyService.from_config(config)
    try:
        for key in service.platform_keys().keys:
            print(_b64(key))
    finally:
        service.close()
    return 0


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m keyservice", description="Cloud Solidaire key service")
    commands = parser.add_subparsers(dest="command", required=True)
    serve_parser = commands.add_parser("serve", help="serve the HTTP API")
    serve_parser.add_argument("--host", default="127.0.0.1")
    serve_parser.add_argument("--port", type=int, default=8700)
    unlock_parser = commands.add_parser("unlock", help="give an account back its guesses for a factor")
    unlock_parser.add_argument("account")
    unlock_parser.add_argument("factor", choices=sorted(FACTORS))
    commands.add_parser("rotate-signing-key", help="make a new active platform signing key")
    commands.add_parser("platform-keys", help="print the platform verify keys, active first")
    return parser


def main(argv: list[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        config = Config.from_env()
        if arguments.command == "serve":
            return serve(config, arguments.host, arguments.port)
        if arguments.command == "unlock":
            return unlock(config, arguments.account, arguments.factor)
        if arguments.command == "rotate-signing-key":
            return rotate_signing_key(config)
        return platform_keys(config)
    except ConfigError as error:
        print(f"keyservice: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
