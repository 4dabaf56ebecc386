"""Wraps: a key sealed to a certified X25519 public key, bound to its place, signed by its maker.

    wrap   = head || ephemeral_public[32] || u16 sealed_len || sealed || signer_vk[32] || signature[64]
    head   = 0x01 || "W" || context
    shared = X25519(ephemeral_secret, recipient_public)            (all-zero result refused)
    key    = BLAKE2b-256(key=shared, person="cloud-solidaire1",
                         msg="wrap-key" || ephemeral_public || recipient_public || head)
    sealed = XChaCha20-Poly1305(key, nonce=0^24, ad=head || ephemeral_public, payload)
    signature = Ed25519(signer, "cloud-solidaire/v1 wrap" || 0x00 || everything before it)

The context names purpose, subject (item, structure generation, shared-part epoch), recipient,
recipient-version and signer; the reader passes the context it expects, so a wrap copied to another
row fails. The key is fresh per wrap (a new ephemeral key), hence the fixed nonce. A sealed box made
to the right public key but without this binding or signature never opens. The signature makes
the maker accountable: an attacker who can write the database cannot add a wrap of a key they
chose, since they hold no certified signing key.
"""
from __future__ import annotations

import hashlib
import hmac

from nacl import bindings as sodium
from nacl.exceptions import CryptoError as NaclCryptoError

from . import signing
from .encoding import Context, Reader, expect_context, header, read_header, u16
from .errors import CryptoError
from .kdf import LABEL_WRAP, PERSON
from .keys import BoxKeyPair, IdentityKeys

KIND = b"W"
REQUIRED_FIELDS = frozenset({"purpose", "subject", "recipient", "recipient-version", "signer"})
PURPOSES = frozenset({"item-key", "structure-key", "shared-part-key", "review-key", "application-key", "report-key"})
MAX_PAYLOAD_BYTES = 1024
_ZERO_NONCE = bytes(24)


def wrap_key(
    payload: bytes, recipient_public: bytes, context: Context, signer: IdentityKeys
) -> bytes:
    _check_context(context)
    if not 0 < len(payload) <= MAX_PAYLOAD_BYTES or len(recipient_public) != 32:
        raise ValueError("bad wrap payload or recipient")
    head = header(KIND, context)
    ephemeral = BoxKeyPair.generate()
    key = _wrap_key(_shared(ephemeral.secret, recipient_public), ephemeral.public, recipient_public, head)
    sealed = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
        payload, head + ephemeral.public, _ZERO_NONCE, key
    )
    signed = head + ephemeral.public + u16(len(sealed)) + sealed + signer.verify_key
    return signed + signing.sign(signer.signing_key, signing.DOMAIN_WRAP, signed)


def unwrap_key(blob: bytes, recipient: BoxKeyPair, context: Context, signer_verify_key: bytes) -> bytes:
    """Open a wrap addressed to `recipient`, made by the holder of `signer_verify_key`, at `context`."""
    reader = Reader(blob)
    expect_context(read_header(reader, KIND), context)
    head = bytes(blob[: reader.offset])
    ephemeral_public = reader.take(32)
    sealed = reader.take(reader.u16())
    signer = reader.take(signing.VERIFY_KEY_BYTES)
    signed_len = reader.offset
    signature = reader.take(signing.SIGNATURE_BYTES)
    reader.end()
    if not hmac.compare_digest(signer, signer_verify_key):
        raise CryptoError()
    signing.verify(signer, signing.DOMAIN_WRAP, bytes(blob[:signed_len]), signature)
    key = _wrap_key(_shared(recipient.secret, ephemeral_public), ephemeral_public, recipient.public, head)
    try:
        return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
            sealed, head + ephemeral_public, _ZERO_NONCE, key
        )
    except NaclCryptoError:
        raise CryptoError() from None


def claimed_signer(blob: bytes) -> bytes:
    """The verify key a wrap says signed it, read without any check: the caller must find it among
    the certified keys of the signer the context names, then `unwrap_key` verifies the signature.
    CryptoError if the blob cannot hold one."""
    end = len(blob) - signing.SIGNATURE_BYTES
    if end < signing.VERIFY_KEY_BYTES:
        raise CryptoError()
    return bytes(blob[end - signing.VERIFY_KEY_BYTES:end])


def _check_context(context: Context) -> None:
    if not REQUIRED_FIELDS <= set(context) or context["purpose"] not in PURPOSES:
        raise ValueError("a wrap context names purpose, subject, recipient, recipient-version, signer")


def _shared(secret: bytes, public: bytes) -> bytes:
    try:
        shared = sodium.crypto_scalarmult(secret, public)
    except Exception:
        raise CryptoError() from None
    if hmac.compare_digest(shared, bytes(32)):
        raise CryptoError()  # a low-order public key: the result would be public
    return shared


def _wrap_key(shared: bytes, ephemeral_public: bytes, recipient_public: bytes, head: bytes) -> bytes:
    message = LABEL_WRAP + ephemeral_public + recipient_public + head
    return hashlib.blake2b(message, key=shared, digest_size=32, person=PERSON).digest()
