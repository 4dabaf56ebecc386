"""A reviewer's tool: `python -m vaultcore inspect FILE` and `python -m vaultcore decrypt ...`.

`decrypt` opens stored bytes with a key the reviewer holds, taking each blob's own context as the
expected one: it checks the spec against real bytes, not that a blob sits in the right row.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from . import kdf, stream, wrap
from .encoding import Reader, read_header
from .errors import CryptoError
from .inspect import HEAD_BYTES, describe
from .keys import BoxKeyPair
from .record import open_record


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except CryptoError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m vaultcore", description=__doc__)
    commands = parser.add_subparsers(required=True)
    inspect = commands.add_parser("inspect", help="print the header of any vaultcore blob, no key needed")
    inspect.add_argument("file")
    inspect.set_defaults(run=_inspect)
    decrypt = commands.add_parser("decrypt", help="open an item's stored metadata, content and thumbnail")
    key = decrypt.add_mutually_exclusive_group(required=True)
    key.add_argument("--item-key", help="the item key, hex")
    key.add_argument("--wrap", help="a stored wrap of the item key (needs --recipient-secret)")
    decrypt.add_argument("--recipient-secret", help="X25519 private key the wrap is addressed to, hex")
    decrypt.add_argument("--signer-key", help="expected Ed25519 key of the wrap's maker, hex (default: the one it names)")
    decrypt.add_argument("--meta", help="the item's metadata record")
    decrypt.add_argument("--content", help="the item's content stream")
    decrypt.add_argument("--out", help="where to write the decrypted content (default: standard output)")
    decrypt.add_argument("--thumbnail", help="the item's thumbnail record")
    decrypt.add_argument("--thumbnail-out", help="where to write the decrypted thumbnail (a JPEG); needed with --thumbnail")
    decrypt.set_defaults(run=_decrypt)
    return parser


def _inspect(args: argparse.Namespace) -> int:
    with open(args.file, "rb") as source:
        head = source.read(HEAD_BYTES)
        total = os.fstat(source.fileno()).st_size
    print(json.dumps(describe(head, total), indent=2, ensure_ascii=False))
    return 0


def _decrypt(args: argparse.Namespace) -> int:
    item_key = bytes.fromhex(args.item_key) if args.item_key else _unwrap(args)
    if args.meta:
        blob = _read(args.meta)
        meta = open_record(kdf.derive(item_key, kdf.LABEL_ITEM_META), _stored_context(blob, b"R"), blob)
        print(meta.decode("utf-8"))
    if args.content:
        with open(args.content, "rb") as source:
            context = _stored_context(source.read(HEAD_BYTES), b"S")
            source.seek(0)
            target = open(args.out, "wb") if args.out else sys.stdout.buffer
            try:
                stream.decrypt_file(kdf.derive(item_key, kdf.LABEL_ITEM_CONTENT), context, source, target)
            finally:
                if args.out:
                    target.close()
    if args.thumbnail:
        if not args.thumbnail_out:
            raise ValueError("--thumbnail needs --thumbnail-out")
        blob = _read(args.thumbnail)
        jpeg = open_record(kdf.derive(item_key, kdf.LABEL_ITEM_THUMBNAIL), _stored_context(blob, b"R"), blob)
        with open(args.thumbnail_out, "wb") as target:
            target.write(jpeg)
    return 0


def _unwrap(args: argparse.Namespace) -> bytes:
    if not args.recipient_secret:
        raise ValueError("--wrap needs --recipient-secret")
    blob = _read(args.wrap)
    signer = bytes.fromhex(args.signer_key) if args.signer_key else bytes.fromhex(describe(blob, len(blob))["signer_key"])
    recipient = BoxKeyPair.from_secret(bytes.fromhex(args.recipient_secret))
    return wrap.unwrap_key(blob, recipient, _stored_context(blob, wrap.KIND), signer)


def _stored_context(head: bytes, kind: bytes) -> dict[str, str]:
    return read_header(Reader(head), kind)


def _read(path: str) -> bytes:
    with open(path, "rb") as source:
        return source.read()


if __name__ == "__main__":
    sys.exit(main())
