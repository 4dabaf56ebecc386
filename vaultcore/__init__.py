"""vaultcore: the cryptographic core of Cloud Solidaire.

A pure library: bytes and streams in, bytes out; no web, database, network or logging. One module
per concept, each with the byte layout it implements; `docs/crypto.md` is the specification.
Every failure to open anything raises `vaultcore.errors.CryptoError`, always the same.
"""
FORMAT_VERSION = 1
