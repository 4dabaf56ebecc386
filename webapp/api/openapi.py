"""The OpenAPI 3.1 document of /api/v1, served at /api/v1/openapi.json.

Written by hand next to the routes; `tests/webapp/test_api.py` checks that every route is here and
every path here is a route, and schemathesis drives the API from it.
"""
from __future__ import annotations

from flask import jsonify

from ..vault.schemas import KINDS
from . import blueprint

STRING = {"type": "string", "maxLength": 1024, "pattern": "^[^\\u0000]*$"}


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _json(schema_ref: str, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_ref}"}}}}


def _body(properties: dict, required: list[str]) -> dict:
    schema = {"type": "object", "properties": properties, "required": required, "additionalProperties": False}
    return {"required": True, "content": {"application/json": {"schema": schema}}}


FIELD_PATTERNS = {
    # Narrower than what is accepted (any real calendar date): a pattern cannot say which days exist.
    "date": "^(19|20)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])$",
    "time": "^([01][0-9]|2[0-3]):[0-5][0-9]$",
    "email": "^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\\.[A-Za-z]{2,}$",
    "phone": "^[0-9+()][0-9+(). -]{1,28}[0-9+()]$",
}


def _metadata_schema(kind: str) -> dict:
    """From `vault/schemas.py`, the one definition the pages and the API check against."""
    properties = {}
    for field in KINDS[kind]:
        schema = {"type": "string", "maxLength": field.max_length}
        if field.kind in FIELD_PATTERNS:
            schema["pattern"] = FIELD_PATTERNS[field.kind]
        elif field.required:
            schema["pattern"] = "[0-9A-Za-z]"  # something left once spaces and control characters go
        properties[field.name] = schema
    required = [field.name for field in KINDS[kind] if field.required]
    return {"type": "object", "properties": properties, "required": required, "additionalProperties": False}


def _new_item_schema(kind: str) -> dict:
    return {
        "type": "object",
        "properties": {"kind": {"const": kind}, "metadata": _metadata_schema(kind), "shared": {"type": "boolean"}},
        "required": ["kind", "metadata", "shared"],
        "additionalProperties": False,
    }


SECURED = [{"bearer": []}]
ID_PATTERN = "^[0-9a-f]{32}$"
ITEM_ID = {"name": "item_id", "in": "path", "required": True, "schema": {"type": "string", "pattern": ID_PATTERN}}
ID_OR_NULL = {"type": ["string", "null"], "pattern": ID_PATTERN}

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
            "Item": {
                "type": "object",
                "required": ["id", "kind", "shared", "folder_id", "size", "created_at", "updated_at", "trashed_at",
                             "author_id", "metadata"],
                "properties": {
                    "id": {"type": "string"},
                    "kind": {"type": "string", "enum": ["document", "note", "contact", "appointment", "folder"]},
                    "shared": {"type": "boolean"},
                    "folder_id": {"type": ["string", "null"]},
                    "size": {"type": "integer"},
                    "created_at": {"type": "string"},
                    "updated_at": {"type": "string"},
                    "trashed_at": {"type": ["string", "null"]},
                    "author_id": {"type": "string"},
                    "metadata": {"type": "object", "description": "decrypted in the session; fields depend on kind"},
                },
            },
            "ItemList": {"type": "object", "required": ["items"],
                         "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}}},
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
        "/api/v1/items": {
            "get": {
                "operationId": "listItems",
                "summary": "The beneficiary's items outside the trash, newest first",
                "security": SECURED,
                "parameters": [{"name": "kind", "in": "query", "required": False,
                                "schema": {"type": "string", "enum": ["document", "note", "contact", "appointment", "folder"]}},
                               {"name": "q", "in": "query", "required": False, "description": "words to find, case and accents ignored",
                                "schema": {"type": "string", "maxLength": 200}}],
                "responses": {"200": _json("ItemList"), "400": _error("bad kind"), "401": _error("unauthorized"),
                              "403": _error("not a beneficiary")},
            },
            "post": {
                "operationId": "createItem",
                "summary": "Add a note, contact or appointment, private or shared",
                "security": SECURED,
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "oneOf": [_new_item_schema(kind) for kind in KINDS]}}}},
                "responses": {"201": _json("Item"), "400": _error("malformed"), "401": _error("unauthorized"),
                              "403": _error("not a beneficiary"), "415": _error("not JSON"), "422": _error("invalid_field")},
            },
        },
        "/api/v1/items/{item_id}": {
            "parameters": [ITEM_ID],
            "get": {"operationId": "getItem", "summary": "One item", "security": SECURED,
                    "responses": {"200": _json("Item"), "401": _error("unauthorized"), "403": _error("not a beneficiary"),
                                  "404": _error("not_found")}},
            "patch": {"operationId": "updateItem", "summary": "Replace a record item's metadata", "security": SECURED,
                      "requestBody": _body({"metadata": {"type": "object"}}, ["metadata"]),
                      "responses": {"200": _json("Item"), "400": _error("malformed"), "401": _error("unauthorized"),
                                    "403": _error("not a beneficiary"), "404": _error("not_found"),
                                    "415": _error("not JSON"), "422": _error("invalid_field")}},
            "delete": {"operationId": "trashItem", "summary": "Move to the trash (kept 30 days)", "security": SECURED,
                       "responses": {"200": _json("Status"), "401": _error("unauthorized"), "403": _error("not a beneficiary"),
                                     "404": _error("not_found")}},
        },
        "/api/v1/items/{item_id}/share": {
            "parameters": [ITEM_ID],
            "post": {"operationId": "shareItem", "summary": "Share with the affiliated structures, or make private",
                     "security": SECURED, "requestBody": _body({"shared": {"type": "boolean"}}, ["shared"]),
                     "responses": {"200": _json("Item"), "400": _error("malformed"), "401": _error("unauthorized"),
                                   "403": _error("not a beneficiary"), "404": _error("not_found"), "415": _error("not JSON")}},
        },
        "/api/v1/items/{item_id}/restore": {
            "parameters": [ITEM_ID],
            "post": {"operationId": "restoreItem", "summary": "Take an item out of the trash", "security": SECURED,
                     "responses": {"200": _json("Item"), "401": _error("unauthorized"), "403": _error("not a beneficiary"),
                                   "404": _error("not_found")}},
        },
        "/api/v1/documents": {
            "post": {
                "operationId": "uploadDocuments",
                "summary": "Add photos (JPEG, PNG, WebP, HEIC) or PDFs; encrypted while they arrive, all or none",
                "security": SECURED,
                "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                    "type": "object",
                    "properties": {"files": {"type": "array", "minItems": 1, "items": {"type": "string", "format": "binary"},
                                             "description": "each a JPEG, PNG, WebP, HEIC or PDF, recognised by its bytes"},
                                   "title": {"type": "string", "maxLength": 200},
                                   "shared": {"type": "string", "enum": ["true", "false"]},
                                   "one_paper": {"type": "string", "enum": ["true", "false"],
                                                 "description": "several photos of one paper become one PDF"}},
                    "required": ["files"]}}}},
                "responses": {"201": _json("ItemList"), "400": _error("malformed"), "401": _error("unauthorized"),
                              "403": _error("not a beneficiary"), "413": _error("file_too_large"),
                              "415": _error("not multipart"), "422": _error("invalid_file")},
            }
        },
        "/api/v1/items/{item_id}/content": {
            "parameters": [ITEM_ID],
            "get": {"operationId": "itemContent", "summary": "A document's file, decrypted in the session",
                    "security": SECURED,
                    "responses": {"200": {"description": "the file", "content": {"application/octet-stream": {}}},
                                  "401": _error("unauthorized"), "403": _error("not a beneficiary"), "404": _error("not_found")}},
        },
        "/api/v1/folders": {
            "post": {
                "operationId": "createFolder",
                "summary": "Create a folder; inside a private folder it is private whatever is asked",
                "security": SECURED,
                "requestBody": _body({"title": {"type": "string", "maxLength": 200,
                                                "pattern": "^[^\\u0000]*[0-9A-Za-z][^\\u0000]*$"},
                                      "shared": {"type": "boolean"},
                                      "parent_id": ID_OR_NULL},
                                     ["title", "shared", "parent_id"]),
                "responses": {"201": _json("Item"), "400": _error("malformed"),
                              "401": _error("unauthorized"), "403": _error("not a beneficiary"),
                              "404": _error("no such parent"),
                              "409": _error("invalid_destination: the parent is not a folder"),
                              "415": _error("not JSON"), "422": _error("invalid_field")},
            }
        },
        "/api/v1/items/{item_id}/move": {
            "parameters": [ITEM_ID],
            "post": {
                "operationId": "moveItem",
                "summary": "Move into a folder (null: out of any folder); a private folder makes it private",
                "security": SECURED,
                "requestBody": _body({"folder_id": ID_OR_NULL}, ["folder_id"]),
                "responses": {"200": {"description": "moved", "content": {"application/json": {"schema": {
                                  "type": "object", "required": ["item", "made_private"],
                                  "properties": {"item": {"$ref": "#/components/schemas/Item"},
                                                 "made_private": {"type": "boolean"}}}}}},
                              "400": _error("malformed"), "401": _error("unauthorized"),
                              "403": _error("not a beneficiary"), "404": _error("not_found: no such item or folder"),
                              "409": _error("invalid_destination: not a folder, or a folder into itself or into "
                                            "a folder it contains"),
                              "415": _error("not JSON")},
            }
        },
        "/api/v1/trash": {
            "get": {"operationId": "listTrash", "summary": "Items in the trash", "security": SECURED,
                    "responses": {"200": _json("ItemList"), "401": _error("unauthorized"), "403": _error("not a beneficiary")}},
        },
        "/api/v1/openapi.json": {
            "get": {"operationId": "openapi", "summary": "This document", "responses": {"200": {"description": "OpenAPI 3.1"}}}
        },
    },
}


@blueprint.get("/openapi.json")
def document():
    return jsonify(DOCUMENT)
