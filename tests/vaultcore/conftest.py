from __future__ import annotations

import pytest

from vaultcore import publickey
from vaultcore.keys import IdentityKeys


@pytest.fixture
def platform() -> IdentityKeys:
    """Stands in for the key service's platform signing key in pure-library tests."""
    return IdentityKeys.generate()


@pytest.fixture
def certify(platform):
    def make(owner: str, version: int = 1, keys: IdentityKeys | None = None):
        keys = keys or IdentityKeys.generate()
        record = publickey.identity_record(owner, version, keys)
        return keys, publickey.certify(platform.signing_key, platform.verify_key, record)

    return make
