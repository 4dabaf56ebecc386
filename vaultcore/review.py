"""The platform review key: what opens structures' application documents, for administrators only.

- Version v is an X25519 key pair, certified as a public-key record (role "review", owner
  "platform", version v) at the key service's next version.
- Its private half is wrapped (`wrap.py`, purpose "review-key", subject "review/<v>") to the
  identity of each platform administrator; an administrator who unwraps it checks it against the
  certified record, as a structure member does with a generation.
- An applicant has no account. Each application gets a one-time signing key (the *sealer*) that
  signs the wrap of each document key to the review key (purpose "application-key", subject
  "<application>/<document>", recipient "review", signer "applicant"); its verify key is kept with
  the application. It shows the wrap was not altered, not who made it: anyone may apply.
- A reported item attached by a professional (moderation, R12): its kind and metadata are
  encrypted (`item.py` metadata format, the report's id as item and owner) under a fresh key,
  wrapped to the review key (purpose "report-key", subject "report/<report>", recipient "review",
  signer "reporter") and signed by a one-time sealer, as for applications.
- A document's content and metadata use the item formats (`item.py`) with the application's id as
  owner, under a random document key.
"""
from __future__ import annotations

from .errors import CryptoError
from .keys import BoxKeyPair, IdentityKeys
from .publickey import PublicKeyRecord, check_unlocked_secret
from .wrap import unwrap_key, wrap_key

RECIPIENT = "review"
SEALER = "applicant"
REPORTER = "reporter"


def wrap_review_key(
    review: BoxKeyPair, version: int, admin: str, admin_version: int, admin_public: bytes,
    signer: str, signer_keys: IdentityKeys,
) -> bytes:
    return wrap_key(review.secret, admin_public, _admin_context(version, admin, admin_version, signer), signer_keys)


def unwrap_review_key(
    blob: bytes, record: PublicKeyRecord, admin: str, admin_version: int, admin_keys: BoxKeyPair,
    signer: str, signer_verify_key: bytes,
) -> BoxKeyPair:
    """Unwrap the review key and prove it is the certified one, or stop."""
    context = _admin_context(record.version, admin, admin_version, signer)
    secret = unwrap_key(blob, admin_keys, context, signer_verify_key)
    if len(secret) != 32:
        raise CryptoError()
    check_unlocked_secret(secret, record)
    return BoxKeyPair.from_secret(secret)


def new_sealer() -> IdentityKeys:
    """One per application; forgotten once its documents are wrapped."""
    return IdentityKeys.generate()


def wrap_document_key(document_key: bytes, application: str, document: str, record: PublicKeyRecord,
                      sealer: IdentityKeys) -> bytes:
    context = _document_context(application, document, record.version)
    return wrap_key(document_key, record.box_public, context, sealer)


def unwrap_document_key(blob: bytes, application: str, document: str, version: int, review: BoxKeyPair,
                        sealer_verify_key: bytes) -> bytes:
    key = unwrap_key(blob, review, _document_context(application, document, version), sealer_verify_key)
    if len(key) != 32:
        raise CryptoError()
    return key


def wrap_report_key(report_key: bytes, report: str, record: PublicKeyRecord, sealer: IdentityKeys) -> bytes:
    return wrap_key(report_key, record.box_public, _report_context(report, record.version), sealer)


def unwrap_report_key(blob: bytes, report: str, version: int, review: BoxKeyPair, sealer_verify_key: bytes) -> bytes:
    key = unwrap_key(blob, review, _report_context(report, version), sealer_verify_key)
    if len(key) != 32:
        raise CryptoError()
    return key


def _admin_context(version: int, admin: str, admin_version: int, signer: str) -> dict[str, object]:
    return {"purpose": "review-key", "subject": f"review/{version}", "recipient": admin,
            "recipient-version": admin_version, "signer": signer}


def _document_context(application: str, document: str, version: int) -> dict[str, object]:
    return {"purpose": "application-key", "subject": f"{application}/{document}", "recipient": RECIPIENT,
            "recipient-version": version, "signer": SEALER}


def _report_context(report: str, version: int) -> dict[str, object]:
    return {"purpose": "report-key", "subject": f"report/{report}", "recipient": RECIPIENT,
            "recipient-version": version, "signer": REPORTER}
