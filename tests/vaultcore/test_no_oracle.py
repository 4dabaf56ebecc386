"""Every crypto failure looks the same from outside: type, message, no log line, no traceback detail."""
import logging
import os

import pytest

from vaultcore import bundle, record, session, statement, stream, wrap
from vaultcore.errors import CryptoError
from vaultcore.keys import IdentityKeys

CTX = {"purpose": "item-meta", "item": "i1", "owner": "b1", "revision": 1}
WRAP_CTX = {"purpose": "item-key", "subject": "i1", "recipient": "b1", "recipient-version": 1, "signer": "b1"}


def failures():
    key, other_key = os.urandom(32), os.urandom(32)
    good = record.seal_record(key, CTX, b"x")
    ident, other = IdentityKeys.generate(), IdentityKeys.generate()
    w = wrap.wrap_key(os.urandom(32), ident.box_public, WRAP_CTX, ident)
    s = statement.sign_statement(ident.signing_key, ident.verify_key, {"purpose": "roster", "structure": "s", "version": 1}, b"")
    yield "bad tag", lambda: record.open_record(key, CTX, good[:-1] + bytes([good[-1] ^ 1]))
    yield "wrong key", lambda: record.open_record(other_key, CTX, good)
    yield "bad length", lambda: record.open_record(key, CTX, good[:10])
    yield "bad key length", lambda: record.open_record(key[:31], CTX, good)
    yield "wrong context", lambda: record.open_record(key, dict(CTX, item="i2"), good)
    yield "bad version", lambda: record.open_record(key, CTX, b"\x09" + good[1:])
    yield "bad signature", lambda: wrap.unwrap_key(w, ident.box, WRAP_CTX, other.verify_key)
    yield "wrong recipient", lambda: wrap.unwrap_key(w, other.box, WRAP_CTX, ident.verify_key)
    yield "untrusted signer", lambda: statement.open_statement(s, [other.verify_key], "roster")
    yield "wrong purpose", lambda: statement.open_statement(s, [ident.verify_key], "public-key")
    yield "expired session", lambda: session.open_session(
        session.SessionCookie(b"i" * 16, key), session.seal_session(session.SessionCookie(b"i" * 16, key), b"", 0, 0), now=10**6)
    yield "cut stream", lambda: stream.StreamDecryptor(key, CTX).finalize()
    yield "weak bundle", lambda: bundle.read_bundle_header(b"\x01B" + b"\x00" * 40, bundle.bundle_context("b", "code", 1))


@pytest.mark.parametrize("what,attempt", list(failures()), ids=[name for name, _ in failures()])
def test_one_error_and_no_log(what, attempt, caplog):
    caplog.set_level(logging.DEBUG)
    with pytest.raises(CryptoError) as caught:
        attempt()
    assert type(caught.value) is CryptoError
    assert str(caught.value) == "decryption failed" and caught.value.args == ("decryption failed",)
    assert caught.value.__cause__ is None  # `from None`: no library detail chained
    assert caplog.records == []
