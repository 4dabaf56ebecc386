"""The one error every cryptographic failure raises.

A bad tag, a bad signature, a wrong key, a wrong length, an unknown version or a context that does
not match all look the same from outside: same type, same message, no detail. Telling them apart
would give an attacker who can write the stored data an oracle.
"""


class CryptoError(Exception):
    def __init__(self) -> None:
        super().__init__("decryption failed")
