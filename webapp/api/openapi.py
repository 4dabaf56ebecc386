"""The OpenAPI 3.1 document of /api/v1, served at /api/v1/openapi.json.

Written by hand next to the routes; `tests/webapp/test_api.py` checks that every route is here and
every path here is a route, and schemathesis drives the API from it.
"""
from __future__ import annotations

from flask import jsonify

from . import blueprint

STRING = {"type": "string", "maxLength": 1024, "pattern": "^[^\\u0000]*$"}


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _json(schema_ref: str, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_ref}"}}}}


def _body(properties: dict, required: list[str]) -> dict:
    schema = {"type": "object", "properties": properties, "required": required, "additionalProperties": False}
    return {"required": True, "content": {"application/json": {"schema": schema}}}


SECURED = [{"bearer": []}]

DOCUMENT = {
    "openapi": "3.1.0",
    "info": {
        "title": "Cloud Solidaire API",
        "version": "1",
        "description": "Every action of the web pages, as JSON. Errors are {\"error\": {\"code\", \"message\"}} "
        "with stable codes; messages follow Accept-Language (fr by default, en).",
    },
    "servers": [{"url": "/"}],
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "token from /api/v1/auth/login"}},
        "schemas": {
            "Error": {
                "type": "object",
                "required": ["error"],
                "properties": {"error": {"type": "object", "required": ["code", "message"],
                                         "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}},
            },
            "Account": {
                "type": "object",
                "required": ["id", "identifier", "role", "must_change_password", "terms_version_accepted", "terms_version_current"],
                "properties": {
                    "id": {"type": "string"},
                    "identifier": {"type": "string"},
                    "role": {"type": "string", "enum": ["beneficiary", "professional", "manager", "admin"]},
                    "must_change_password": {"type": "boolean"},
                    "terms_version_accepted": {"type": ["integer", "null"]},
                    "terms_version_current": {"type": ["integer", "null"]},
                },
            },
            "Login": {
                "type": "object",
                "required": ["token", "account"],
                "properties": {"token": {"type": "string"}, "account": {"$ref": "#/components/schemas/Account"}},
            },
            "Terms": {
                "type": "object",
                "required": ["version", "published_at", "text"],
                "properties": {"version": {"type": "integer"}, "published_at": {"type": "string"}, "text": {"type": "string"}},
            },
            "Status": {"type": "object", "required": ["status"], "properties": {"status": {"type": "string"}}},
        },
    },
    "paths": {
        "/api/v1/auth/login": {
            "post": {
                "operationId": "login",
                "summary": "Log in; returns a bearer token",
                "requestBody": _body({"identifier": STRING, "password": STRING}, ["identifier", "password"]),
                "responses": {"200": _json("Login"), "400": _error("malformed"), "401": _error("invalid_credentials"),
                              "403": _error("account_suspended"),
                              "415": _error("not JSON"), "429": _error("rate_limited")},
            }
        },
        "/api/v1/auth/logout": {
            "post": {"operationId": "logout", "summary": "End the session", "security": SECURED,
                     "responses": {"200": _json("Status"), "401": _error("unauthorized")}}
        },
        "/api/v1/me": {
            "get": {"operationId": "me", "summary": "The logged-in account", "security": SECURED,
                    "responses": {"200": _json("Account"), "401": _error("unauthorized")}}
        },
        "/api/v1/terms": {
            "get": {"operationId": "terms", "summary": "The current terms of service",
                    "responses": {"200": _json("Terms"), "404": _error("none published")}}
        },
        "/api/v1/me/terms": {
            "post": {
                "operationId": "acceptTerms",
                "summary": "Accept the current terms (R10)",
                "security": SECURED,
                "requestBody": _body({"version": {"type": "integer"}}, ["version"]),
                "responses": {"200": _json("Account"), "400": _error("malformed"), "401": _error("unauthorized"),
                              "409": _error("terms_outdated"), "415": _error("not JSON")},
            }
        },
        "/api/v1/me/password": {
            "post": {
                "operationId": "changePassword",
                "summary": "Change the password; current_password is ignored when a change is forced",
                "security": SECURED,
                "requestBody": _body({"current_password": STRING, "new_password": STRING}, ["current_password", "new_password"]),
                "responses": {"200": _json("Account"), "400": _error("malformed"), "401": _error("unauthorized"),
                              "403": _error("wrong_password"), "415": _error("not JSON"), "422": _error("weak_password")},
            }
        },
        "/api/v1/openapi.json": {
            "get": {"operationId": "openapi", "summary": "This document", "responses": {"200": {"description": "OpenAPI 3.1"}}}
        },
    },
}


@blueprint.get("/openapi.json")
def document():
    return jsonify(DOCUMENT)
