"""keyservice: the separate service holding what the web app must never hold.

Platform signing keys, per-account OPRF keys and guess counters, and high-water marks of versioned
records, in its own database. `service.KeyService` is the logic, `app.create_app` its HTTP API,
`client` the web app's one interface to it (HTTP or in-process), `python -m keyservice` the CLI.
`docs/crypto.md` says what each secret protects.
"""
