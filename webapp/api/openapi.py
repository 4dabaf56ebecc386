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
                             "author_id", "metadata", "has_thumbnail"],
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
                    "has_thumbnail": {"type": "boolean",
                                      "description": "a photo (or a PDF made of photos) has a small JPEG at .../thumbnail"},
                    "added_by_structure_id": {"type": ["string", "null"],
                                              "description": "the Relais whose professional (author_id) added it"},
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
        "/api/v1/items/{item_id}/thumbnail": {
            "parameters": [ITEM_ID],
            "get": {"operationId": "itemThumbnail",
                    "summary": "A document's thumbnail (JPEG, fits 320×320, no metadata), decrypted in the session",
                    "security": SECURED,
                    "responses": {"200": {"description": "the thumbnail", "content": {"image/jpeg": {}}},
                                  "401": _error("unauthorized"), "403": _error("not a beneficiary"),
                                  "404": _error("not_found: no such item, or it has no thumbnail")}},
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


# Structures (R1-R3, R15): the public application, the administrators' review, the managers' actions.
STRUCTURE_ID = {"name": "structure_id", "in": "path", "required": True, "schema": {"type": "string", "pattern": ID_PATTERN}}
APPLICATION_ID = {"name": "application_id", "in": "path", "required": True, "schema": {"type": "string", "pattern": ID_PATTERN}}
DOCUMENT_ID = {"name": "document_id", "in": "path", "required": True, "schema": {"type": "string", "pattern": ID_PATTERN}}
ACCOUNT_ID = {"name": "account_id", "in": "path", "required": True, "schema": {"type": "string", "pattern": ID_PATTERN}}
# A letter or digit somewhere, and no NUL anywhere (`json_body` refuses NUL in every string).
SOME_WORD = "^[^\\u0000]*[0-9A-Za-z][^\\u0000]*$"
NAME_TEXT = {"type": "string", "minLength": 1, "maxLength": 100, "pattern": SOME_WORD}
OPTIONAL_EMAIL = {"type": "string", "maxLength": 254, "pattern": "^$|" + FIELD_PATTERNS["email"]}
NOT_ADMIN, NOT_STAFF = _error("not a platform administrator"), _error("not a professional or manager")
STRING_OR_NULL = {"type": ["string", "null"]}

DOCUMENT["components"]["schemas"].update({
    "ApplicationReceipt": {"type": "object", "required": ["id", "status"],
                           "properties": {"id": {"type": "string"}, "status": {"type": "string"}}},
    "StructureApplication": {
        "type": "object",
        "required": ["id", "name", "kind", "address", "siret", "status", "submitted_at"],
        "properties": {**{name: {"type": "string"} for name in (
            "id", "name", "kind", "address", "siret", "referent_first_name", "referent_last_name", "referent_position",
            "referent_email", "referent_phone", "submitted_at")},
            "status": {"type": "string", "enum": ["pending", "approved", "rejected"]},
            "rejection_reason": STRING_OR_NULL, "structure_id": STRING_OR_NULL,
            "documents": {"type": "array", "items": {"type": "object", "required": ["id", "file_name", "mime", "size"],
                                                     "properties": {"id": {"type": "string"}, "file_name": {"type": "string"},
                                                                    "mime": {"type": "string"}, "size": {"type": "integer"}}}}},
    },
    "StructureApplicationList": {"type": "object", "required": ["applications"], "properties": {
        "applications": {"type": "array", "items": {"$ref": "#/components/schemas/StructureApplication"}}}},
    "Structure": {
        "type": "object", "required": ["id", "name", "kind", "status", "generation"],
        "properties": {"id": {"type": "string"}, "name": {"type": "string"}, "kind": {"type": "string"},
                       "siret": STRING_OR_NULL, "status": {"type": "string", "enum": ["active", "suspended"]},
                       "generation": {"type": "integer", "description": "current key generation"},
                       "my_role": {"type": "string", "enum": ["manager", "professional"]},
                       "members": {"type": "array", "items": {"type": "object", "required": ["id", "identifier", "role", "deletion_requested"]}},
                       "beneficiaries": {"type": "array", "items": {"type": "object", "required": ["id", "identifier"]}}},
    },
    "StructureList": {"type": "object", "required": ["structures"], "properties": {
        "structures": {"type": "array", "items": {"$ref": "#/components/schemas/Structure"}}}},
    "NewAccount": {"type": "object", "required": ["id", "identifier", "role", "password"],
                   "properties": {"id": {"type": "string"}, "identifier": {"type": "string"}, "role": {"type": "string"},
                                  "password": {"type": "string", "description": "generated; shown this once, to change at first login"}}},
    "Approval": {"type": "object", "required": ["structure", "manager"],
                 "properties": {"structure": {"$ref": "#/components/schemas/Structure"},
                                "manager": {"$ref": "#/components/schemas/NewAccount"}}},
    "Member": {"type": "object", "required": ["id", "identifier", "role"],
               "properties": {"id": {"type": "string"}, "identifier": {"type": "string"}, "role": {"type": "string"}}},
    "Removal": {"type": "object", "required": ["status", "generation"],
                "properties": {"status": {"type": "string"}, "generation": {"type": "integer"}}},
})

DOCUMENT["paths"].update({
    "/api/v1/structure-applications": {
        "post": {
            "operationId": "submitStructureApplication",
            "summary": "Apply to become a Relais (no login); documents are sealed to the platform review key",
            "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                "type": "object",
                "properties": {
                    "name": {"type": "string", "maxLength": 200}, "kind": {"type": "string", "enum": [
                        "association", "ccas", "chrs", "accueil-de-jour", "sante", "autre"]},
                    "address": {"type": "string", "maxLength": 300},
                    "siret": {"type": "string", "pattern": "^[0-9 ]{14,20}$", "description": "14 digits, Luhn-checked"},
                    "referent_first_name": {"type": "string", "maxLength": 100},
                    "referent_last_name": {"type": "string", "maxLength": 100},
                    "referent_position": {"type": "string", "maxLength": 100},
                    "referent_email": {"type": "string", "maxLength": 254, "pattern": FIELD_PATTERNS["email"]},
                    "referent_phone": {"type": "string", "pattern": FIELD_PATTERNS["phone"]},
                    "documents": {"type": "array", "minItems": 1, "maxItems": 5, "items": {"type": "string", "format": "binary"},
                                  "description": "each a JPEG, PNG, WebP, HEIC or PDF of at most 10 MB"}},
                "required": ["name", "kind", "address", "siret", "referent_first_name", "referent_last_name",
                             "referent_position", "referent_email", "referent_phone", "documents"]}}}},
            "responses": {"201": _json("ApplicationReceipt"), "400": _error("malformed"), "413": _error("file_too_large"),
                          "409": _error("review_unavailable: no administrator has opened the console yet"),
                          "422": _error("invalid_field or invalid_file"), "429": _error("rate_limited")},
        }
    },
    "/api/v1/admin/structure-applications": {
        "get": {"operationId": "listStructureApplications", "summary": "Every application, newest first", "security": SECURED,
                "responses": {"200": _json("StructureApplicationList"), "401": _error("unauthorized"), "403": NOT_ADMIN}},
    },
    "/api/v1/admin/structure-applications/{application_id}": {
        "parameters": [APPLICATION_ID],
        "get": {"operationId": "getStructureApplication", "summary": "One application with its documents' names, opened in the session",
                "security": SECURED,
                "responses": {"200": _json("StructureApplication"), "401": _error("unauthorized"), "403": NOT_ADMIN,
                              "404": _error("not_found"), "409": _error("review_unavailable for this administrator")}},
    },
    "/api/v1/admin/structure-applications/{application_id}/documents/{document_id}": {
        "parameters": [APPLICATION_ID, DOCUMENT_ID],
        "get": {"operationId": "getStructureApplicationDocument", "summary": "A supporting document, decrypted in the session",
                "security": SECURED,
                "responses": {"200": {"description": "the file", "content": {"application/octet-stream": {}}},
                              "401": _error("unauthorized"), "403": NOT_ADMIN, "404": _error("not_found"),
                              "409": _error("review_unavailable for this administrator")}},
    },
    "/api/v1/admin/structure-applications/{application_id}/approve": {
        "parameters": [APPLICATION_ID],
        "post": {"operationId": "approveStructureApplication",
                 "summary": "Create the Relais, its key generation 1 and its manager (generated password, shown once)",
                 "security": SECURED,
                 "responses": {"201": _json("Approval"), "401": _error("unauthorized"), "403": NOT_ADMIN,
                               "404": _error("not_found"), "409": _error("already_decided")}},
    },
    "/api/v1/admin/structure-applications/{application_id}/reject": {
        "parameters": [APPLICATION_ID],
        "post": {"operationId": "rejectStructureApplication", "summary": "Refuse; the reason is kept for administrators only",
                 "security": SECURED,
                 "requestBody": _body({"reason": {"type": "string", "minLength": 1, "maxLength": 1024,
                                                  "pattern": "^[^\\u0000]*[0-9A-Za-z][^\\u0000]*$"}}, ["reason"]),
                 "responses": {"200": _json("StructureApplication"), "400": _error("malformed"), "401": _error("unauthorized"),
                               "403": NOT_ADMIN, "404": _error("not_found"), "409": _error("already_decided"),
                               "415": _error("not JSON"), "422": _error("invalid_field")}},
    },
    "/api/v1/admin/structures": {
        "get": {"operationId": "listAllStructures", "summary": "Every Relais", "security": SECURED,
                "responses": {"200": _json("StructureList"), "401": _error("unauthorized"), "403": NOT_ADMIN}},
    },
    "/api/v1/admin/structures/{structure_id}/status": {
        "parameters": [STRUCTURE_ID],
        "post": {"operationId": "setStructureStatus", "summary": "Suspend or reactivate a Relais", "security": SECURED,
                 "requestBody": _body({"status": {"type": "string", "enum": ["active", "suspended"]}}, ["status"]),
                 "responses": {"200": _json("Structure"), "400": _error("malformed"), "401": _error("unauthorized"),
                               "403": NOT_ADMIN, "404": _error("not_found"), "415": _error("not JSON")}},
    },
    "/api/v1/structures": {
        "get": {"operationId": "listMyStructures", "summary": "The active Relais the account works for, with its role in each",
                "security": SECURED,
                "responses": {"200": _json("StructureList"), "401": _error("unauthorized"), "403": NOT_STAFF}},
    },
    "/api/v1/structures/{structure_id}": {
        "parameters": [STRUCTURE_ID],
        "get": {"operationId": "getStructure", "summary": "A Relais the account manages: members and beneficiaries",
                "security": SECURED,
                "responses": {"200": _json("Structure"), "401": _error("unauthorized"), "403": NOT_STAFF,
                              "404": _error("not_found, or not managed by this account")}},
    },
    "/api/v1/structures/{structure_id}/professionals": {
        "parameters": [STRUCTURE_ID],
        "post": {"operationId": "createProfessional", "summary": "Create a professional account (generated password, shown once)",
                 "security": SECURED,
                 "requestBody": _body({"first_name": NAME_TEXT, "last_name": NAME_TEXT, "email": OPTIONAL_EMAIL},
                                      ["first_name", "last_name", "email"]),
                 "responses": {"201": _json("NewAccount"), "400": _error("malformed"), "401": _error("unauthorized"),
                               "403": NOT_STAFF, "404": _error("not_found"), "415": _error("not JSON"),
                               "422": _error("invalid_field")}},
    },
    "/api/v1/structures/{structure_id}/members": {
        "parameters": [STRUCTURE_ID],
        "post": {"operationId": "addMember", "summary": "Add an existing professional of another Relais, by identifier",
                 "security": SECURED, "requestBody": _body({"identifier": STRING}, ["identifier"]),
                 "responses": {"201": _json("Member"), "400": _error("malformed"), "401": _error("unauthorized"),
                               "403": NOT_STAFF, "404": _error("not_found"), "415": _error("not JSON"),
                               "422": _error("not_staff or already_member")}},
    },
    "/api/v1/structures/{structure_id}/members/{account_id}": {
        "parameters": [STRUCTURE_ID, ACCOUNT_ID],
        "delete": {"operationId": "removeMember", "summary": "Remove a member: starts a new key generation", "security": SECURED,
                   "responses": {"200": _json("Removal"), "401": _error("unauthorized"), "403": NOT_STAFF,
                                 "404": _error("not_found or member_not_found"), "409": _error("last_manager")}},
    },
    "/api/v1/structures/{structure_id}/professionals/{account_id}": {
        "parameters": [STRUCTURE_ID, ACCOUNT_ID],
        "delete": {"operationId": "deleteProfessional",
                   "summary": "Delete a professional account of this Relais only (validates a deletion request)",
                   "security": SECURED,
                   "responses": {"200": _json("Status"), "401": _error("unauthorized"), "403": NOT_STAFF,
                                 "404": _error("not_found or member_not_found"), "422": _error("not_staff or belongs_elsewhere")}},
    },
    "/api/v1/structures/{structure_id}/deletion-request": {
        "parameters": [STRUCTURE_ID],
        "post": {"operationId": "askAccountDeletion", "summary": "A professional asks the manager to delete their account",
                 "security": SECURED,
                 "responses": {"201": _json("Status"), "401": _error("unauthorized"), "403": _error("not a professional"),
                               "404": _error("not_found")}},
    },
    "/api/v1/structures/{structure_id}/deletion-requests/{account_id}": {
        "parameters": [STRUCTURE_ID, ACCOUNT_ID],
        "delete": {"operationId": "refuseAccountDeletion", "summary": "Refuse a professional's deletion request",
                   "security": SECURED,
                   "responses": {"200": _json("Status"), "401": _error("unauthorized"), "403": NOT_STAFF,
                                 "404": _error("not_found or member_not_found")}},
    },
})


# The account's own mobile number, confirmed by a one-time code (issue #5, docs/sms.md).
_PHONE_E164_OR_NULL = {"type": ["string", "null"], "pattern": "^\\+[1-9][0-9]{6,14}$"}
_CODE_ERRORS = {"403": _error("wrong_code: the message says how many tries are left"),
                "409": _error("no_pending_code, code_expired (after 10 minutes), or code_exhausted (after 5 tries)"),
                "422": _error("invalid_code: not 6 digits")}
_SEND_ERRORS = {"409": _error("sms_opted_out: the number answered STOP"),
                "429": _error("code_throttled (one a minute, three an hour; Retry-After says when), "
                              "or sms_quota_exceeded"),
                "503": _error("sms_not_sent: the provider did not take it")}
DOCUMENT["components"]["schemas"].update({
    "Phone": {"type": "object", "required": ["phone", "display", "pending"], "properties": {
        "phone": _PHONE_E164_OR_NULL,
        "display": {"type": ["string", "null"], "description": "national format for a French number"},
        "pending": {"type": ["object", "null"], "description": "a code sent and waiting to be typed",
                    "required": ["phone", "display", "expires_at", "tries_left"],
                    "properties": {"phone": _PHONE_E164_OR_NULL, "display": {"type": "string"},
                                   "expires_at": {"type": "string", "format": "date-time"},
                                   "tries_left": {"type": "integer", "minimum": 0, "maximum": 5}}}}},
})
DOCUMENT["paths"].update({
    "/api/v1/me/phone": {
        "get": {"operationId": "myPhone", "summary": "The account's confirmed mobile number, and a code waiting if any",
                "security": SECURED, "responses": {"200": _json("Phone"), "401": _error("unauthorized")}},
        "post": {"operationId": "startPhone",
                 "summary": "Send a 6-digit code (valid 10 minutes) by SMS to this mobile number (French when no +prefix)",
                 "security": SECURED, "requestBody": _body({"phone": STRING}, ["phone"]),
                 "responses": {"202": _json("Phone", "code sent"), "400": _error("malformed"), "401": _error("unauthorized"),
                               "415": _error("not JSON"), "422": _error("invalid_phone: not a valid mobile number"),
                               **_SEND_ERRORS}},
        "delete": {"operationId": "removePhone", "summary": "Forget the account's number", "security": SECURED,
                   "responses": {"200": _json("Phone"), "401": _error("unauthorized")}},
    },
    "/api/v1/me/phone/resend": {
        "post": {"operationId": "resendPhoneCode", "summary": "A new code to the number waiting for confirmation",
                 "security": SECURED,
                 "responses": {"202": _json("Phone", "code sent"), "401": _error("unauthorized"),
                               **_SEND_ERRORS, "409": _error("no_pending_code, or sms_opted_out")}},
    },
    "/api/v1/me/phone/confirm": {
        "post": {"operationId": "confirmPhone", "summary": "Type the code: the number becomes the account's",
                 "security": SECURED,
                 "requestBody": _body({"code": {"type": "string", "maxLength": 40,
                                                "pattern": "^[ .\\u00a0-]*([0-9][ .\\u00a0-]*){6}$"}}, ["code"]),
                 "responses": {"200": _json("Phone"), "400": _error("malformed"), "401": _error("unauthorized"),
                               "415": _error("not JSON"), **_CODE_ERRORS}},
    },
})


# An appointment's SMS reminders (issue #5, docs/sms.md).
_REMINDER_ID = {"name": "reminder_id", "in": "path", "required": True, "schema": {"type": "string", "pattern": ID_PATTERN}}
_REMINDER_REQUEST = _body({
    "preset": {"type": "string", "enum": ["day_before", "two_hours", "chosen"],
               "description": "the day before at the same time (18:00 without a time), 2 hours before, or chosen_at"},
    "chosen_at": {"type": ["string", "null"], "description": "for chosen: Europe/Paris local time, YYYY-MM-DDTHH:MM",
                  # Narrower than what is accepted (any real calendar day), as the appointments' dates.
                  "pattern": "^(19|20)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])T([01][0-9]|2[0-3]):[0-5][0-9]$"},
    "night_ok": {"type": "boolean", "description": "send even between 20:00 and 08:00 (else moved into the day)"},
    "phone": {"type": ["string", "null"], "maxLength": 40, "pattern": STRING["pattern"],
              "description": "a mobile number; null: the account's confirmed one"},
    "text": {"type": "string", "maxLength": 160, "pattern": SOME_WORD,
             "description": "the SMS as the person accepted it: the only plaintext of the appointment that leaves the vault"},
}, ["preset", "chosen_at", "night_ok", "phone", "text"])
_REMINDER_ERRORS = {
    "400": _error("malformed"), "401": _error("unauthorized"), "403": _error("not a beneficiary"),
    "404": _error("not_found: no such appointment or reminder"),
    "409": _error("moment_passed, not_before_appointment, needs_appointment_time, no_decent_time, already_sent, "
                  "or sms_opted_out"),
    "415": _error("not JSON"), "422": _error("invalid_phone, invalid_text, missing_moment or invalid_moment"),
    "429": _error("sms_quota_exceeded"),
}
DOCUMENT["components"]["schemas"].update({
    "Reminder": {"type": "object",
                 "required": ["id", "item_id", "preset", "send_at", "night_ok", "phone", "display_phone", "text", "status",
                              "chosen_at", "author_id", "structure_id"],
                 "properties": {
                     "id": {"type": "string"}, "item_id": {"type": "string"},
                     "preset": {"type": "string", "enum": ["now", "day_before", "two_hours", "chosen"],
                                "description": "now: sent at once by a professional of a Relais"},
                     "author_id": {"type": "string", "description": "who scheduled it: you, or a professional"},
                     "structure_id": {"type": ["string", "null"], "description": "the Relais of the professional who scheduled it"},
                     "send_at": {"type": "string", "format": "date-time", "description": "after the decent-hours rule"},
                     "night_ok": {"type": "boolean"}, "phone": {"type": "string"}, "display_phone": {"type": "string"},
                     "text": {"type": ["string", "null"], "description": "null once the SMS left or was cancelled"},
                     "status": {"type": "string", "enum": ["scheduled", "sent", "failed", "cancelled", "refused"]},
                     "chosen_at": {"type": ["string", "null"], "format": "date-time"}}},
    "ReminderList": {"type": "object", "required": ["reminders", "default_text", "phone"], "properties": {
        "reminders": {"type": "array", "items": {"$ref": "#/components/schemas/Reminder"}},
        "default_text": {"type": "string", "description": "the text offered for a new reminder: the date and time only"},
        "phone": {"type": ["string", "null"], "description": "the account's confirmed number"}}},
})
DOCUMENT["paths"].update({
    "/api/v1/items/{item_id}/reminders": {
        "parameters": [ITEM_ID],
        "get": {"operationId": "listReminders", "summary": "An appointment's SMS reminders", "security": SECURED,
                "responses": {"200": _json("ReminderList"), "401": _error("unauthorized"),
                              "403": _error("not a beneficiary"), "404": _error("not_found: no such appointment")}},
        "post": {"operationId": "createReminder",
                 "summary": "Schedule an SMS reminder; between 20:00 and 08:00 it moves to the nearer of 20:00 and "
                            "08:00 before the appointment unless night_ok",
                 "security": SECURED, "requestBody": _REMINDER_REQUEST,
                 "responses": {"201": _json("Reminder"), **_REMINDER_ERRORS}},
    },
    "/api/v1/items/{item_id}/reminders/{reminder_id}": {
        "parameters": [ITEM_ID, _REMINDER_ID],
        "patch": {"operationId": "changeReminder", "summary": "Change a reminder that has not left yet",
                  "security": SECURED, "requestBody": _REMINDER_REQUEST,
                  "responses": {"200": _json("Reminder"), **_REMINDER_ERRORS}},
        "delete": {"operationId": "deleteReminder", "summary": "Delete a reminder; a scheduled SMS is cancelled",
                   "security": SECURED,
                   "responses": {"200": _json("Status"), "401": _error("unauthorized"), "403": _error("not a beneficiary"),
                                 "404": _error("not_found"), "409": _error("already_sent")}},
    },
})


# SMS (issue #5): the administrators' view of the ledger and the opt-outs. The provider's webhook
# (POST /webhooks/brevo/sms) is not here: Brevo calls it with its own token, not a person (docs/sms.md).
E164 = {"type": "string", "pattern": "^\\+[1-9][0-9]{6,14}$"}
NULLABLE_TIME = {"type": ["string", "null"], "format": "date-time"}
DOCUMENT["components"]["schemas"].update({
    "SmsMessage": {"type": "object", "required": ["id", "purpose", "phone", "status", "send_after", "attempts", "masked"],
                   "properties": {"id": {"type": "string"}, "purpose": {"type": "string", "enum": ["reminder", "notice", "code"]},
                                  "phone": E164, "status": {"type": "string", "enum": [
                                      "scheduled", "sending", "sent", "delivered", "failed", "cancelled", "refused"]},
                                  "send_after": {"type": "string", "format": "date-time"},
                                  "next_attempt_at": {"type": "string", "format": "date-time"},
                                  "sent_at": NULLABLE_TIME, "delivered_at": NULLABLE_TIME, "attempts": {"type": "integer"},
                                  "last_error": {"type": ["string", "null"]}, "provider": {"type": ["string", "null"]},
                                  "text": {"type": ["string", "null"], "description": "the outbox's copy; never a one-time code"},
                                  "masked": {"type": "boolean", "description": "a one-time code, whose text is never kept"}}},
    "SmsMessageList": {"type": "object", "required": ["provider", "messages"], "properties": {
        "provider": {"type": "string", "enum": ["outbox", "brevo"]},
        "messages": {"type": "array", "items": {"$ref": "#/components/schemas/SmsMessage"}}}},
    "SmsOptOut": {"type": "object", "required": ["phone", "source", "recorded_at"],
                  "properties": {"phone": E164, "source": {"type": "string", "enum": ["provider", "admin"]},
                                 "recorded_at": {"type": "string", "format": "date-time"}}},
    "SmsOptOutList": {"type": "object", "required": ["opt_outs"], "properties": {
        "opt_outs": {"type": "array", "items": {"$ref": "#/components/schemas/SmsOptOut"}}}},
})
DOCUMENT["paths"].update({
    "/api/v1/admin/sms": {
        "get": {"operationId": "listSms", "summary": "The latest SMS, newest first, with their delivery status",
                "security": SECURED,
                "responses": {"200": _json("SmsMessageList"), "401": _error("unauthorized"), "403": _error("not a platform administrator")}},
    },
    "/api/v1/admin/sms/opt-outs": {
        "get": {"operationId": "listSmsOptOuts", "summary": "The numbers that asked for no more SMS", "security": SECURED,
                "responses": {"200": _json("SmsOptOutList"), "401": _error("unauthorized"), "403": _error("not a platform administrator")}},
        "post": {"operationId": "addSmsOptOut", "summary": "Record that a number wants no more SMS (in any usual writing; French by default)",
                 "security": SECURED, "requestBody": _body({"phone": {"type": "string", "maxLength": 30}}, ["phone"]),
                 "responses": {"201": _json("SmsOptOut"), "400": _error("malformed"), "401": _error("unauthorized"),
                               "403": _error("not a platform administrator"), "415": _error("not JSON"),
                               "422": _error("invalid_phone")}},
    },
    "/api/v1/admin/sms/opt-outs/{phone}": {
        "parameters": [{"name": "phone", "in": "path", "required": True, "schema": E164}],
        "delete": {"operationId": "liftSmsOptOut", "summary": "The number may receive SMS again", "security": SECURED,
                   "responses": {"200": _json("Status"), "401": _error("unauthorized"),
                                 "403": _error("not a platform administrator"), "404": _error("not_found")}},
    },
})


# The shared part seen by professionals and managers of an affiliated Relais, and the beneficiary's
# traces of what they did (issue #6; docs/structures.md). Any beneficiary not actively affiliated to
# the Relais, or item not shared, answers 404.
_BENEFICIARY_ID = {"name": "beneficiary_id", "in": "path", "required": True, "schema": {"type": "string", "pattern": ID_PATTERN}}
_SHARED_STRUCTURE_ID = {"name": "structure_id", "in": "path", "required": True, "schema": {"type": "string", "pattern": ID_PATTERN}}
_NOT_STAFF = _error("not a professional or manager")
_SHARED_404 = _error("not_found: no such Relais of this account, beneficiary affiliated to it, or shared item")
_REFUSED = _error("not staff, or contributions_refused: the beneficiary does not allow this Relais to add or change")
DOCUMENT["components"]["schemas"].update({
    "SharedPartList": {"type": "object", "required": ["beneficiaries"], "properties": {"beneficiaries": {"type": "array", "items": {
        "type": "object", "required": ["id", "identifier", "first_name", "last_name", "consents_to_contributions", "shared_items"],
        "properties": {"id": {"type": "string"}, "identifier": {"type": "string"},
                       "first_name": {"type": ["string", "null"]}, "last_name": {"type": ["string", "null"]},
                       "consents_to_contributions": {"type": "boolean"}, "shared_items": {"type": "integer"}}}}}},
    "SharedItemList": {"type": "object", "required": ["items", "consents_to_contributions"], "properties": {
        "items": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}},
        "consents_to_contributions": {"type": "boolean"}}},
    "TraceList": {"type": "object", "required": ["traces"], "properties": {"traces": {"type": "array", "items": {
        "type": "object", "required": ["at", "action", "actor_id", "actor_name", "structure_id", "structure_name", "item_id", "kind"],
        "properties": {"at": {"type": "string", "format": "date-time"},
                       "action": {"type": "string", "enum": ["shared.listed", "shared.viewed", "shared.previewed",
                                                             "shared.downloaded", "shared.added", "shared.edited",
                                                             "shared.made_private", "shared.reminder_scheduled",
                                                             "shared.reminder_changed", "shared.reminder_deleted",
                                                             "account.reset_by_professional"]},
                       "actor_id": {"type": ["string", "null"]}, "actor_name": {"type": "string"},
                       "structure_id": {"type": ["string", "null"]}, "structure_name": {"type": "string"},
                       "item_id": {"type": ["string", "null"]}, "kind": {"type": ["string", "null"]}}}}}},
})
_STAFF_REMINDER_REQUEST = _body({
    name: schema for name, schema in _REMINDER_REQUEST["content"]["application/json"]["schema"]["properties"].items()
    if name != "phone"} | {"preset": {"type": "string", "enum": ["now", "day_before", "two_hours", "chosen"],
                                      "description": "now (at once, or at 08:00 unless night_ok), the day before, "
                                                     "2 hours before, or chosen_at"}},
    ["preset", "chosen_at", "night_ok", "text"])
_STAFF_REMINDER_ERRORS = {
    "400": _error("malformed"), "401": _error("unauthorized"), "403": _NOT_STAFF,
    "404": _error("not_found: no such Relais, beneficiary affiliated to it, shared appointment, or reminder of your Relais"),
    "409": _error("no_phone (the beneficiary has no confirmed mobile), moment_passed, not_before_appointment, "
                  "needs_appointment_time, no_decent_time, already_sent, or sms_opted_out"),
    "415": _error("not JSON"), "422": _error("invalid_text, missing_moment or invalid_moment"),
    "429": _error("sms_quota_exceeded: the Relais's, the beneficiary's or the number's daily limit"),
}
DOCUMENT["components"]["schemas"].update({
    "StaffReminder": {"type": "object",
                      "required": ["id", "item_id", "preset", "send_at", "night_ok", "masked_phone", "text", "status",
                                   "chosen_at", "author_id"],
                      "properties": {
                          "id": {"type": "string"}, "item_id": {"type": "string"},
                          "preset": {"type": "string", "enum": ["now", "day_before", "two_hours", "chosen"]},
                          "send_at": {"type": "string", "format": "date-time"}, "night_ok": {"type": "boolean"},
                          "masked_phone": {"type": "string", "description": "the last two digits only"},
                          "text": {"type": ["string", "null"]},
                          "status": {"type": "string", "enum": ["scheduled", "sent", "failed", "cancelled", "refused"]},
                          "chosen_at": {"type": ["string", "null"], "format": "date-time"},
                          "author_id": {"type": "string", "description": "the member of your Relais who scheduled it"}}},
    "StaffReminderList": {"type": "object", "required": ["reminders", "default_text", "masked_phone"], "properties": {
        "reminders": {"type": "array", "items": {"$ref": "#/components/schemas/StaffReminder"}},
        "default_text": {"type": "string"},
        "masked_phone": {"type": ["string", "null"], "description": "null: no confirmed mobile, no reminder possible"}}},
})
_NEW_SHARED_ITEM = {"required": True, "content": {"application/json": {"schema": {"oneOf": [
    {"type": "object", "properties": {"kind": {"const": kind}, "metadata": _metadata_schema(kind)},
     "required": ["kind", "metadata"], "additionalProperties": False} for kind in ("note", "contact", "appointment")]}}}}
DOCUMENT["paths"].update({
    "/api/v1/structures/{structure_id}/shared": {
        "parameters": [_SHARED_STRUCTURE_ID],
        "get": {"operationId": "listSharedParts", "summary": "The Relais's affiliated beneficiaries and how much each shares",
                "security": SECURED,
                "responses": {"200": _json("SharedPartList"), "401": _error("unauthorized"), "403": _NOT_STAFF,
                              "404": _SHARED_404}},
    },
    "/api/v1/structures/{structure_id}/shared/{beneficiary_id}/items": {
        "parameters": [_SHARED_STRUCTURE_ID, _BENEFICIARY_ID],
        "get": {"operationId": "listSharedItems", "summary": "A beneficiary's shared items, decrypted in the session (traced)",
                "security": SECURED,
                "parameters": [{"name": "kind", "in": "query", "required": False,
                                "schema": {"type": "string", "enum": ["document", "note", "contact", "appointment", "folder"]}}],
                "responses": {"200": _json("SharedItemList"), "400": _error("bad kind"), "401": _error("unauthorized"),
                              "403": _NOT_STAFF, "404": _SHARED_404}},
        "post": {"operationId": "addSharedItem",
                 "summary": "Add a note, contact or appointment to the beneficiary's shared part, signed by you (traced)",
                 "security": SECURED, "requestBody": _NEW_SHARED_ITEM,
                 "responses": {"201": _json("Item"), "400": _error("malformed"), "401": _error("unauthorized"),
                               "403": _REFUSED, "404": _SHARED_404, "415": _error("not JSON"),
                               "422": _error("invalid_field")}},
    },
    "/api/v1/structures/{structure_id}/shared/{beneficiary_id}/documents": {
        "parameters": [_SHARED_STRUCTURE_ID, _BENEFICIARY_ID],
        "post": {"operationId": "addSharedDocuments",
                 "summary": "Add photos or PDFs to the beneficiary's shared part, signed by you (traced)",
                 "security": SECURED,
                 "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                     "type": "object",
                     "properties": {"files": {"type": "array", "minItems": 1, "items": {"type": "string", "format": "binary"}},
                                    "title": {"type": "string", "maxLength": 200}},
                     "required": ["files"]}}}},
                 "responses": {"201": _json("ItemList"), "400": _error("malformed"), "401": _error("unauthorized"),
                               "403": _REFUSED, "404": _SHARED_404, "413": _error("file_too_large"),
                               "415": _error("not multipart"), "422": _error("invalid_file")}},
    },
    "/api/v1/structures/{structure_id}/shared/{beneficiary_id}/items/{item_id}": {
        "parameters": [_SHARED_STRUCTURE_ID, _BENEFICIARY_ID, ITEM_ID],
        "get": {"operationId": "getSharedItem", "summary": "One shared item (traced)", "security": SECURED,
                "responses": {"200": _json("Item"), "401": _error("unauthorized"), "403": _NOT_STAFF, "404": _SHARED_404}},
        "patch": {"operationId": "updateSharedItem", "summary": "Replace a shared note's, contact's or appointment's metadata (traced)",
                  "security": SECURED, "requestBody": _body({"metadata": {"type": "object"}}, ["metadata"]),
                  "responses": {"200": _json("Item"), "400": _error("malformed, or not a note, contact or appointment"),
                                "401": _error("unauthorized"), "403": _REFUSED, "404": _SHARED_404,
                                "415": _error("not JSON"), "422": _error("invalid_field")}},
    },
    "/api/v1/structures/{structure_id}/shared/{beneficiary_id}/items/{item_id}/content": {
        "parameters": [_SHARED_STRUCTURE_ID, _BENEFICIARY_ID, ITEM_ID],
        "get": {"operationId": "sharedItemContent", "summary": "A shared document's file, decrypted in the session (traced)",
                "security": SECURED,
                "responses": {"200": {"description": "the file", "content": {"application/octet-stream": {}}},
                              "401": _error("unauthorized"), "403": _NOT_STAFF, "404": _SHARED_404}},
    },
    "/api/v1/structures/{structure_id}/shared/{beneficiary_id}/items/{item_id}/private": {
        "parameters": [_SHARED_STRUCTURE_ID, _BENEFICIARY_ID, ITEM_ID],
        "post": {"operationId": "makeSharedItemPrivate",
                 "summary": "Make a shared item (a folder: with its contents) private; your Relais loses access (traced)",
                 "security": SECURED,
                 "responses": {"200": _json("Status"), "401": _error("unauthorized"), "403": _NOT_STAFF, "404": _SHARED_404}},
    },
    "/api/v1/structures/{structure_id}/shared/{beneficiary_id}/items/{item_id}/reminders": {
        "parameters": [_SHARED_STRUCTURE_ID, _BENEFICIARY_ID, ITEM_ID],
        "get": {"operationId": "listSharedReminders",
                "summary": "Your Relais's SMS reminders of a shared appointment, the text offered for a new one, and the "
                           "last two digits of the number they go to (traced)",
                "security": SECURED,
                "responses": {"200": _json("StaffReminderList"), "401": _error("unauthorized"), "403": _NOT_STAFF,
                              "404": _SHARED_404}},
        "post": {"operationId": "createSharedReminder",
                 "summary": "Schedule, or send now, an SMS reminder to the beneficiary's confirmed mobile; it counts "
                            "against the Relais's daily quota (traced)",
                 "security": SECURED, "requestBody": _STAFF_REMINDER_REQUEST,
                 "responses": {"201": _json("StaffReminder"), **_STAFF_REMINDER_ERRORS}},
    },
    "/api/v1/structures/{structure_id}/shared/{beneficiary_id}/items/{item_id}/reminders/{reminder_id}": {
        "parameters": [_SHARED_STRUCTURE_ID, _BENEFICIARY_ID, ITEM_ID, _REMINDER_ID],
        "patch": {"operationId": "changeSharedReminder", "summary": "Change your Relais's reminder that has not left (traced)",
                  "security": SECURED, "requestBody": _STAFF_REMINDER_REQUEST,
                  "responses": {"200": _json("StaffReminder"), **_STAFF_REMINDER_ERRORS}},
        "delete": {"operationId": "deleteSharedReminder",
                   "summary": "Delete your Relais's reminder; a scheduled SMS is cancelled (traced)", "security": SECURED,
                   "responses": {"200": _json("Status"), "401": _error("unauthorized"), "403": _NOT_STAFF,
                                 "404": _SHARED_404, "409": _error("already_sent")}},
    },
    "/api/v1/me/traces": {
        "get": {"operationId": "myTraces",
                "summary": "Who consulted, downloaded, added or changed what the beneficiary shares, newest first",
                "security": SECURED,
                "responses": {"200": _json("TraceList"), "401": _error("unauthorized"), "403": _error("not a beneficiary")}},
    },
})


# Beneficiary accounts opened by professionals, the search, affiliations and "Mes Relais" (issue #6,
# docs/affiliations.md).
_BENEFICIARY_ID = {"name": "beneficiary_id", "in": "path", "required": True, "schema": {"type": "string", "pattern": ID_PATTERN}}
_SHORT_NAME = {"type": "string", "minLength": 1, "maxLength": 50, "pattern": "^[^\\u0000]*[0-9A-Za-z][^\\u0000]*$"}
_PAST_DATE = {"type": "string", "pattern": FIELD_PATTERNS["date"],
              "description": "YYYY-MM-DD, a real day from 1900 to today"}
_ANSWER = {"type": "string", "minLength": 1, "maxLength": 200, "pattern": SOME_WORD,
           "description": "normalised by rule 1: case, punctuation and extra spaces do not count"}
_STAFF_ERRORS = {"401": _error("unauthorized"), "403": NOT_STAFF, "404": _error("not_found: no such Relais or beneficiary")}
_AFFILIATION_STATUS = {"type": "string", "enum": ["pending", "confirmed", "active", "ended"],
                       "description": "confirmed: agreed by SMS code, shared at the beneficiary's next login"}
DOCUMENT["components"]["schemas"].update({
    "Affiliation": {"type": "object",
                    "required": ["beneficiary_id", "structure_id", "status", "consents_to_contributions", "confirmed_by",
                                 "started_at", "ended_at"],
                    "properties": {"beneficiary_id": {"type": "string"}, "structure_id": {"type": "string"},
                                   "structure_name": {"type": "string"}, "status": _AFFILIATION_STATUS,
                                   "consents_to_contributions": {"type": "boolean"},
                                   "confirmed_by": {"type": ["string", "null"],
                                                    "enum": ["sms", "account", "answer", "creation", None]},
                                   "started_at": {"type": "string", "format": "date-time"},
                                   "ended_at": {"type": ["string", "null"], "format": "date-time"}}},
    "AffiliationList": {"type": "object", "required": ["affiliations"], "properties": {
        "affiliations": {"type": "array", "items": {"$ref": "#/components/schemas/Affiliation"}}}},
    "AffiliationState": {"type": "object",
                         "required": ["beneficiary_id", "identifier", "status", "affiliation", "can_confirm_by_sms",
                                      "secret_question", "code_tries_left"],
                         "properties": {"beneficiary_id": {"type": "string"}, "identifier": {"type": "string"},
                                        "status": {"type": ["string", "null"]},
                                        "affiliation": {"oneOf": [{"$ref": "#/components/schemas/Affiliation"},
                                                                  {"type": "null"}]},
                                        "can_confirm_by_sms": {"type": "boolean"},
                                        "secret_question": {"type": ["string", "null"]},
                                        "code_tries_left": {"type": ["integer", "null"]}}},
    "NewBeneficiary": {"type": "object", "required": ["id", "identifier", "affiliation", "recovery_code"],
                       "properties": {"id": {"type": "string"},
                                      "recovery_code": {"type": "string", "description": "shown once, never kept: "
                                                        "to print for the person (docs/recovery.md)"},
                                      "identifier": {"type": "string", "description": "prenom.nom.jj/mm/aaaa[-n]"},
                                      "affiliation": {"oneOf": [{"$ref": "#/components/schemas/Affiliation"},
                                                                {"type": "null"}]}}},
    "BeneficiarySearch": {"type": "object", "required": ["results"], "properties": {"results": {"type": "array", "items": {
        "type": "object", "required": ["id", "identifier", "first_name", "last_name", "affiliation_status"],
        "properties": {"id": {"type": "string"}, "identifier": {"type": "string"}, "first_name": {"type": "string"},
                       "last_name": {"type": "string"}, "affiliation_status": {"type": ["string", "null"]}}}}}},
    "CodeSent": {"type": "object", "required": ["expires_at", "tries_left"],
                 "properties": {"expires_at": {"type": "string", "format": "date-time"}, "tries_left": {"type": "integer"}}},
})
DOCUMENT["paths"].update({
    "/api/v1/structures/{structure_id}/beneficiaries": {
        "parameters": [STRUCTURE_ID],
        "post": {"operationId": "createBeneficiary",
                 "summary": "Open a beneficiary account with the person present; the service assigns the identifier",
                 "security": SECURED,
                 "requestBody": _body({"first_name": _SHORT_NAME, "last_name": _SHORT_NAME, "birth_date": _PAST_DATE,
                                       "password": {"type": "string", "maxLength": 256, "description": "typed by the person"},
                                       "secret_question": {"type": "string", "minLength": 1, "maxLength": 200,
                                                           "pattern": "^[^\\u0000]*[0-9A-Za-z][^\\u0000]*$"},
                                       "secret_answer": _ANSWER,
                                       "affiliate": {"type": "boolean", "description": "affiliate to this Relais at once"},
                                       "homonym": {"type": "boolean", "description": "the professional checked that an "
                                                   "account with the same names and birth date is someone else"}},
                                      ["first_name", "last_name", "birth_date", "password", "secret_question",
                                       "secret_answer", "affiliate", "homonym"]),
                 "responses": {"201": _json("NewBeneficiary"), "400": _error("malformed"), **_STAFF_ERRORS,
                               "409": {"description": "duplicate_account: ask the affiliation of `existing` instead",
                                       "content": {"application/json": {"schema": {
                                           "type": "object", "required": ["error", "existing"],
                                           "properties": {"error": {"$ref": "#/components/schemas/Error/properties/error"},
                                                          "existing": {"type": "array", "items": {"type": "string"}}}}}}},
                               "415": _error("not JSON"), "422": _error("invalid_field or weak_password"),
                               "429": _error("rate_limited")}},
    },
    "/api/v1/structures/{structure_id}/beneficiaries/search": {
        "parameters": [STRUCTURE_ID],
        "post": {"operationId": "searchBeneficiaries",
                 "summary": "An exact identifier, or first name, last name and birth date together (empty strings for "
                            "the rest); never a listing. Audited",
                 "security": SECURED,
                 "requestBody": _body({"identifier": STRING, "first_name": STRING, "last_name": STRING,
                                       "birth_date": {"type": "string", "pattern": "^$|" + FIELD_PATTERNS["date"]}},
                                      ["identifier", "first_name", "last_name", "birth_date"]),
                 "responses": {"200": _json("BeneficiarySearch"), "400": _error("malformed"), **_STAFF_ERRORS,
                               "415": _error("not JSON"), "422": _error("invalid_search: not enough to search"),
                               "429": _error("rate_limited")}},
    },
    "/api/v1/structures/{structure_id}/affiliations/{beneficiary_id}": {
        "parameters": [STRUCTURE_ID, _BENEFICIARY_ID],
        "get": {"operationId": "getAffiliation", "summary": "Where the affiliation stands, in this Relais",
                "security": SECURED, "responses": {"200": _json("AffiliationState"), **_STAFF_ERRORS}},
        "post": {"operationId": "startAffiliation", "summary": "Ask for the affiliation; the beneficiary confirms it next",
                 "security": SECURED,
                 "responses": {"201": _json("Affiliation"), **_STAFF_ERRORS, "409": _error("already_affiliated")}},
        "delete": {"operationId": "endAffiliation",
                   "summary": "End it (or cancel the request): the Relais' wraps go; the next share leaves it out",
                   "security": SECURED,
                   "responses": {"200": _json("Affiliation"), **_STAFF_ERRORS, "409": _error("not_affiliated")}},
    },
    "/api/v1/structures/{structure_id}/affiliations/{beneficiary_id}/code": {
        "parameters": [STRUCTURE_ID, _BENEFICIARY_ID],
        "post": {"operationId": "sendAffiliationCode", "summary": "A 6-digit code to the beneficiary's confirmed mobile",
                 "security": SECURED,
                 "responses": {"202": _json("CodeSent", "code sent"), **_STAFF_ERRORS, **_SEND_ERRORS,
                               "409": _error("not_pending, no_phone or sms_opted_out")}},
    },
    "/api/v1/structures/{structure_id}/affiliations/{beneficiary_id}/code/confirm": {
        "parameters": [STRUCTURE_ID, _BENEFICIARY_ID],
        "post": {"operationId": "confirmAffiliationCode",
                 "summary": "The code the beneficiary received: confirmed, shared at their next login",
                 "security": SECURED,
                 "requestBody": _body({"code": {"type": "string", "maxLength": 40,
                                                "pattern": "^[ .\\u00a0-]*([0-9][ .\\u00a0-]*){6}$"}}, ["code"]),
                 "responses": {"200": _json("Affiliation"), "400": _error("malformed"), **_STAFF_ERRORS,
                               "415": _error("not JSON"), **_CODE_ERRORS,
                               "409": _error("not_pending, no_pending_code, code_expired or code_exhausted")}},
    },
    "/api/v1/structures/{structure_id}/affiliations/{beneficiary_id}/answer": {
        "parameters": [STRUCTURE_ID, _BENEFICIARY_ID],
        "post": {"operationId": "confirmAffiliationAnswer",
                 "summary": "The answer to the secret question, typed by the beneficiary: active at once. Each try "
                            "spends one of 5 guesses at the key service",
                 "security": SECURED, "requestBody": _body({"answer": _ANSWER}, ["answer"]),
                 "responses": {"200": _json("Affiliation"), "400": _error("malformed"), "401": _error("unauthorized"),
                               "403": _error("not a professional or manager, or wrong_answer (the message says how "
                                             "many guesses are left)"),
                               "404": _error("not_found"), "409": _error("not_pending or no_secret_answer"),
                               "415": _error("not JSON"), "423": _error("answer_locked: no guesses left")}},
    },
    "/api/v1/me/affiliations": {
        "get": {"operationId": "myAffiliations", "summary": "Mes Relais: every affiliation of the beneficiary",
                "security": SECURED,
                "responses": {"200": _json("AffiliationList"), "401": _error("unauthorized"),
                              "403": _error("not a beneficiary")}},
    },
    "/api/v1/me/affiliations/{structure_id}": {
        "parameters": [STRUCTURE_ID],
        "delete": {"operationId": "endMyAffiliation",
                   "summary": "End it: the Relais' wraps go and a new epoch is made at once",
                   "security": SECURED,
                   "responses": {"200": _json("Affiliation"), "401": _error("unauthorized"),
                                 "403": _error("not a beneficiary"), "404": _error("not_found")}},
    },
    "/api/v1/me/affiliations/{structure_id}/accept": {
        "parameters": [STRUCTURE_ID],
        "post": {"operationId": "acceptAffiliation", "summary": "Confirm a Relais' request: the shared part opens to it",
                 "security": SECURED,
                 "responses": {"200": _json("Affiliation"), "401": _error("unauthorized"),
                               "403": _error("not a beneficiary"), "404": _error("not_found"),
                               "409": _error("not_pending")}},
    },
    "/api/v1/me/affiliations/{structure_id}/decline": {
        "parameters": [STRUCTURE_ID],
        "post": {"operationId": "declineAffiliation", "summary": "Refuse a Relais' request", "security": SECURED,
                 "responses": {"200": _json("Affiliation"), "401": _error("unauthorized"),
                               "403": _error("not a beneficiary"), "404": _error("not_found"),
                               "409": _error("not_pending")}},
    },
    "/api/v1/me/affiliations/{structure_id}/consent": {
        "parameters": [STRUCTURE_ID],
        "put": {"operationId": "setAffiliationConsent", "summary": "Whether the Relais may add to the shared part",
                "security": SECURED, "requestBody": _body({"consents": {"type": "boolean"}}, ["consents"]),
                "responses": {"200": _json("Affiliation"), "400": _error("malformed"), "401": _error("unauthorized"),
                              "403": _error("not a beneficiary"), "404": _error("not_found"), "415": _error("not JSON")}},
    },
})


# The beneficiary's tamper-evident journal (issue #7; docs/crypto.md, *Journal*).
DOCUMENT["components"]["schemas"].update({
    "Journal": {"type": "object",
                "required": ["intact", "checked_at", "events_verified", "signed_up_to", "first_wrong_event", "events"],
                "properties": {
                    "intact": {"type": "boolean", "description": "the chain verifies against its newest signed head"},
                    "checked_at": {"type": "string", "format": "date-time"},
                    "events_verified": {"type": "integer", "description": "events that verify, in order, before any break"},
                    "signed_up_to": {"type": "integer", "description": "the event the newest signed head pins; 0 before the first"},
                    "first_wrong_event": {"type": ["integer", "null"],
                                          "description": "null when intact, or when the signed head is missing, stale or past the end"},
                    "events": {"type": "array", "items": {
                        "type": "object", "required": ["seq", "at", "action", "actor_id", "structure_id", "details"],
                        "properties": {"seq": {"type": "integer"}, "at": {"type": "string", "format": "date-time"},
                                       "action": {"type": "string"}, "actor_id": {"type": ["string", "null"]},
                                       "structure_id": {"type": ["string", "null"]}, "details": {"type": "object"}}}}}},
})
DOCUMENT["paths"].update({
    "/api/v1/me/journal": {
        "get": {"operationId": "myJournal",
                "summary": "Every event of the beneficiary's journal, oldest first, and whether the chain verifies",
                "security": SECURED,
                "responses": {"200": _json("Journal"), "401": _error("unauthorized"), "403": _error("not a beneficiary")}},
    },
})



# Data rights (issue #7; docs/data-rights.md): what the service holds, rectification, the export.
_NULLABLE_STRING = {"type": ["string", "null"]}
_HELD_STRUCTURE = {"type": "object", "required": ["id", "name", "status", "started_at"], "properties": {
    "id": {"type": "string"}, "name": {"type": "string"},
    "status": {"type": "string", "enum": ["pending", "confirmed", "active", "ended", "member"],
               "description": "member: a professional's or manager's Relais"},
    "role": {"type": "string"}, "consents_to_contributions": {"type": "boolean"},
    "started_at": {"type": "string", "format": "date-time"}, "confirmed_by": _NULLABLE_STRING,
    "confirmed_at": NULLABLE_TIME, "ended_at": NULLABLE_TIME,
    "last_professional_activity_at": NULLABLE_TIME, "idle_notice_at": NULLABLE_TIME}}
DOCUMENT["components"]["schemas"].update({
    "Profile": {"type": "object", "required": ["first_name", "last_name", "birth_date", "email", "phone", "secret_question"],
                "properties": {"first_name": {"type": "string"}, "last_name": {"type": "string"},
                               "birth_date": {"type": ["string", "null"], "format": "date"}, "email": _NULLABLE_STRING,
                               "phone": _NULLABLE_STRING,
                               "secret_question": {"type": ["string", "null"], "description": "the answer is kept nowhere"}}},
    "HeldData": {"type": "object", "required": ["account", "profile", "terms", "structures", "journal"], "properties": {
        "account": {"type": "object", "required": ["id", "identifier", "role", "created_at", "last_activity_at"],
                    "properties": {"id": {"type": "string"}, "identifier": {"type": "string"}, "role": {"type": "string"},
                                   "created_at": {"type": "string", "format": "date-time"},
                                   "last_activity_at": NULLABLE_TIME, "last_professional_activity_at": NULLABLE_TIME,
                                   "inactivity_notice_at": NULLABLE_TIME}},
        "profile": {"$ref": "#/components/schemas/Profile"},
        "terms": {"type": "object", "required": ["version", "accepted_at"],
                  "properties": {"version": {"type": ["integer", "null"]}, "accepted_at": NULLABLE_TIME}},
        "structures": {"type": "array", "items": _HELD_STRUCTURE},
        "journal": {"type": "object", "required": ["intact", "checked_at", "events_verified", "first_wrong_event", "events"],
                    "properties": {"intact": {"type": "boolean"}, "checked_at": {"type": "string", "format": "date-time"},
                                   "events_verified": {"type": "integer"}, "first_wrong_event": {"type": ["integer", "null"]},
                                   "events": {"type": "array", "items": {"type": "object"}}}}}},
    "Rectified": {"type": "object", "required": ["changed", "profile"], "properties": {
        "changed": {"type": "array", "items": {"type": "string", "enum": ["first_name", "last_name", "birth_date", "email"]}},
        "profile": {"$ref": "#/components/schemas/Profile"}}},
})
DOCUMENT["paths"].update({
    "/api/v1/me/data": {
        "get": {"operationId": "myData", "summary": "Everything the service holds about the account besides the items: "
                "directory, accepted terms, Relais, journal and whether it verifies", "security": SECURED,
                "responses": {"200": _json("HeldData"), "401": _error("unauthorized")}},
    },
    "/api/v1/me/export": {
        "get": {"operationId": "myExport",
                "summary": "A zip of everything (documents, notes as text, contacts as vCard, appointments as iCalendar, "
                           "metadata.json, an offline index.html), streamed as it is decrypted in the session; the trash "
                           "is not in it. A download cut short (no end of zip) means it failed: ask again",
                "security": SECURED,
                "responses": {"200": {"description": "the zip", "content": {"application/zip": {}}},
                              "401": _error("unauthorized"), "403": _error("not a beneficiary")}},
    },
    "/api/v1/me/profile": {
        "patch": {"operationId": "rectifyProfile",
                  "summary": "Correct names, birth date and e-mail (all four given); the identifier does not change",
                  "security": SECURED,
                  "requestBody": _body({"first_name": NAME_TEXT, "last_name": NAME_TEXT,
                                        "birth_date": {"type": ["string", "null"], "pattern": FIELD_PATTERNS["date"]},
                                        "email": {"type": ["string", "null"], "maxLength": 254,
                                                  "pattern": "^$|" + FIELD_PATTERNS["email"]}},
                                       ["first_name", "last_name", "birth_date", "email"]),
                  "responses": {"200": _json("Rectified"), "400": _error("malformed"), "401": _error("unauthorized"),
                                "415": _error("not JSON"), "422": _error("invalid_field: the message says which")}},
    },
})

# Moderation (R12) and new terms versions (R10)
_REPORT_ID = {"name": "report_id", "in": "path", "required": True, "schema": {"type": "string", "pattern": ID_PATTERN}}
_NOTICE_ID = {"name": "notice_id", "in": "path", "required": True, "schema": {"type": "string", "pattern": ID_PATTERN}}
_REASON = {"type": "string", "enum": ["illicit", "abusive", "fraud", "other"]}
_DETAILS = {"type": "string", "maxLength": 1000, "pattern": "^[^\\u0000]*$",
            "description": "plaintext the reporter chooses to give: administrators read it"}
_MESSAGE = {"type": "string", "maxLength": 1024, "pattern": "^[^\\u0000]*$"}
_TEXT = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"  # something left once spaces go, as the API checks
_REPORT_ERRORS = {"400": _error("malformed"), "401": _error("unauthorized"), "403": _error("not this role"),
                  "404": _error("not_found: nothing this account may report"), "415": _error("not JSON"),
                  "422": _error("invalid_field")}
_ADMIN_ERRORS = {"401": _error("unauthorized"), "403": NOT_ADMIN, "404": _error("not_found")}
DOCUMENT["components"]["schemas"].update({
    "Report": {"type": "object", "required": ["id", "kind", "reason", "details", "status", "attached", "attachment"],
               "properties": {"id": {"type": "string"}, "kind": {"type": "string", "enum": ["item", "account", "structure"]},
                              "reason": _REASON, "details": {"type": "string"},
                              "reporter_id": STRING_OR_NULL, "account_id": STRING_OR_NULL, "structure_id": STRING_OR_NULL,
                              "item_id": STRING_OR_NULL, "item_owner_id": STRING_OR_NULL, "item_kind": STRING_OR_NULL,
                              "attached": {"type": "boolean"},
                              "status": {"type": "string", "enum": ["open", "dismissed", "item_removed", "suspended", "notice_sent"]},
                              "created_at": {"type": "string"}, "decided_at": STRING_OR_NULL,
                              "attachment": {"type": ["object", "null"],
                                             "description": "the attached item, decrypted in the administrator's session"}}},
    "ReportList": {"type": "object", "required": ["reports"],
                   "properties": {"reports": {"type": "array", "items": {"$ref": "#/components/schemas/Report"}}}},
    "Notice": {"type": "object", "required": ["id", "message", "sent_at", "deadline", "status", "reply"],
               "properties": {"id": {"type": "string"}, "account_id": {"type": "string"}, "report_id": STRING_OR_NULL,
                              "message": {"type": "string"}, "sent_at": {"type": "string"}, "deadline": {"type": "string"},
                              "status": {"type": "string", "enum": ["pending", "answered", "suspended", "withdrawn"]},
                              "reply": STRING_OR_NULL, "replied_at": STRING_OR_NULL}},
    "NoticeList": {"type": "object", "required": ["notices"],
                   "properties": {"notices": {"type": "array", "items": {"$ref": "#/components/schemas/Notice"}}}},
    "AccountStatus": {"type": "object", "required": ["id", "status"],
                      "properties": {"id": {"type": "string"}, "status": {"type": "string", "enum": ["active", "suspended"]}}},
    "SuspendedAccounts": {"type": "object", "required": ["accounts"], "properties": {"accounts": {"type": "array", "items": {
        "type": "object", "required": ["id", "identifier", "role"], "properties": {
            "id": {"type": "string"}, "identifier": {"type": "string"}, "role": {"type": "string"}}}}}},
})
DOCUMENT["paths"].update({
    "/api/v1/items/{item_id}/report": {
        "parameters": [ITEM_ID],
        "post": {"operationId": "reportOwnItem", "summary": "A beneficiary reports an item of their own vault",
                 "security": SECURED, "requestBody": _body({"reason": _REASON, "details": _DETAILS}, ["reason", "details"]),
                 "responses": {"201": _json("Report"), **_REPORT_ERRORS}},
    },
    "/api/v1/structures/{structure_id}/shared/{beneficiary_id}/items/{item_id}/report": {
        "parameters": [STRUCTURE_ID, _BENEFICIARY_ID, ITEM_ID],
        "post": {"operationId": "reportSharedItem",
                 "summary": "A member reports a shared item; attach=true seals its kind and metadata to the platform "
                            "review key (administrators only), otherwise nobody but the owner can read it",
                 "security": SECURED,
                 "requestBody": _body({"reason": _REASON, "details": _DETAILS, "attach": {"type": "boolean"}},
                                      ["reason", "details", "attach"]),
                 "responses": {"201": _json("Report"), **_REPORT_ERRORS,
                               "503": _error("review_unavailable: no administrator has opened the console yet")}},
    },
    "/api/v1/structures/{structure_id}/beneficiaries/{beneficiary_id}/report": {
        "parameters": [STRUCTURE_ID, _BENEFICIARY_ID],
        "post": {"operationId": "reportBeneficiary", "summary": "A member reports a beneficiary affiliated to their Relais",
                 "security": SECURED, "requestBody": _body({"reason": _REASON, "details": _DETAILS}, ["reason", "details"]),
                 "responses": {"201": _json("Report"), **_REPORT_ERRORS}},
    },
    "/api/v1/me/affiliations/{structure_id}/report": {
        "parameters": [STRUCTURE_ID],
        "post": {"operationId": "reportStructure",
                 "summary": "A beneficiary reports a Relais they are or were affiliated to (or one of its members, named in details)",
                 "security": SECURED, "requestBody": _body({"reason": _REASON, "details": _DETAILS}, ["reason", "details"]),
                 "responses": {"201": _json("Report"), **_REPORT_ERRORS}},
    },
    "/api/v1/me/notices": {
        "get": {"operationId": "myNotices", "summary": "The formal notices the account received (marks them seen)",
                "security": SECURED, "responses": {"200": _json("NoticeList"), "401": _error("unauthorized")}},
    },
    "/api/v1/me/notices/{notice_id}/reply": {
        "parameters": [_NOTICE_ID],
        "post": {"operationId": "replyToNotice", "summary": "Answer a pending formal notice before its deadline",
                 "security": SECURED, "requestBody": _body({"reply": {**_MESSAGE, "pattern": _TEXT}}, ["reply"]),
                 "responses": {"200": _json("Notice"), "400": _error("malformed"), "401": _error("unauthorized"),
                               "404": _error("not_found"), "409": _error("already_decided: the notice is closed"),
                               "415": _error("not JSON"), "422": _error("invalid_field")}},
    },
    "/api/v1/admin/reports": {
        "get": {"operationId": "listReports", "summary": "Every report, newest first", "security": SECURED,
                "responses": {"200": _json("ReportList"), "401": _error("unauthorized"), "403": NOT_ADMIN}},
    },
    "/api/v1/admin/reports/{report_id}": {
        "parameters": [_REPORT_ID],
        "get": {"operationId": "getReport", "summary": "A report, its attached item decrypted", "security": SECURED,
                "responses": {"200": _json("Report"), **_ADMIN_ERRORS,
                              "503": _error("review_unavailable: this administrator does not hold the review key yet")}},
    },
    "/api/v1/admin/reports/{report_id}/decision": {
        "parameters": [_REPORT_ID],
        "post": {"operationId": "decideReport",
                 "summary": "dismiss, remove_item (erased for good), suspend (at once) or notice (a formal notice, "
                            "15 days to answer; message is its text)", "security": SECURED,
                 "requestBody": _body({"decision": {"type": "string", "enum": ["dismiss", "remove_item", "suspend", "notice"]},
                                       "message": _MESSAGE}, ["decision", "message"]),
                 "responses": {"200": _json("Report"), **_ADMIN_ERRORS, "400": _error("malformed"),
                               "409": _error("already_decided"), "415": _error("not JSON"),
                               "422": _error("invalid_field or not_applicable")}},
    },
    "/api/v1/admin/notices": {
        "get": {"operationId": "listNotices", "summary": "Every formal notice, its deadline and reply", "security": SECURED,
                "responses": {"200": _json("NoticeList"), "401": _error("unauthorized"), "403": NOT_ADMIN}},
    },
    "/api/v1/admin/accounts/suspended": {
        "get": {"operationId": "listSuspendedAccounts", "summary": "Suspended accounts", "security": SECURED,
                "responses": {"200": _json("SuspendedAccounts"), "401": _error("unauthorized"), "403": NOT_ADMIN}},
    },
    "/api/v1/admin/accounts/{account_id}/status": {
        "parameters": [ACCOUNT_ID],
        "post": {"operationId": "setAccountStatus",
                 "summary": "Suspend an account at once, or reactivate it (pending notices are withdrawn)", "security": SECURED,
                 "requestBody": _body({"status": {"type": "string", "enum": ["active", "suspended"]}}, ["status"]),
                 "responses": {"200": _json("AccountStatus"), **_ADMIN_ERRORS, "400": _error("malformed"),
                               "415": _error("not JSON"), "422": _error("not_applicable: an administrator")}},
    },
    "/api/v1/admin/terms": {
        "post": {"operationId": "publishTerms",
                 "summary": "Publish a new version of the terms (French); every account accepts it at its next login",
                 "security": SECURED,
                 "requestBody": _body({"text": {"type": "string", "maxLength": 200000, "pattern": _TEXT}}, ["text"]),
                 "responses": {"201": _json("Terms"), "400": _error("malformed"), "401": _error("unauthorized"),
                               "403": NOT_ADMIN, "415": _error("not JSON"), "422": _error("invalid_field: empty text")}},
    },
})


# The contact form (R18)
_CONTACT_ID = {"name": "message_id", "in": "path", "required": True, "schema": {"type": "string", "pattern": ID_PATTERN}}
DOCUMENT["components"]["schemas"].update({
    "ContactMessage": {"type": "object", "required": ["id", "category", "message", "reach_at", "status", "created_at",
                                                      "reply", "replied_at", "from_account"],
                       "properties": {"id": {"type": "string"}, "category": {"type": "string", "enum": ["question", "technical"]},
                                      "message": {"type": "string"}, "reach_at": {"type": "string"},
                                      "status": {"type": "string", "enum": ["open", "closed"]},
                                      "created_at": {"type": "string"}, "reply": STRING_OR_NULL, "replied_at": STRING_OR_NULL,
                                      "from_account": {"type": "boolean"}}},
    "ContactMessageList": {"type": "object", "required": ["messages"], "properties": {
        "messages": {"type": "array", "items": {"$ref": "#/components/schemas/ContactMessage"}}}},
})
DOCUMENT["paths"].update({
    "/api/v1/contact": {
        "post": {"operationId": "sendContactMessage",
                 "summary": "A question or a malfunction report to the team, logged in (the replies are then listed at "
                            "/api/v1/me/contact) or not (reach_at: how to answer). 5 per hour per address",
                 "requestBody": _body({"category": {"type": "string", "enum": ["question", "technical"]},
                                       "message": {"type": "string", "maxLength": 1000, "pattern": _TEXT},
                                       "reach_at": {"type": "string", "maxLength": 254, "pattern": "^[^\\u0000]*$"}},
                                      ["category", "message", "reach_at"]),
                 "responses": {"201": _json("ContactMessage"), "400": _error("malformed"), "415": _error("not JSON"),
                               "422": _error("invalid_field"), "429": _error("too many messages from this address")}},
    },
    "/api/v1/me/contact": {
        "get": {"operationId": "myContactMessages", "summary": "The account's messages to the team and their replies",
                "security": SECURED, "responses": {"200": _json("ContactMessageList"), "401": _error("unauthorized")}},
    },
    "/api/v1/admin/contact": {
        "get": {"operationId": "contactInbox", "summary": "Every contact message, newest first", "security": SECURED,
                "responses": {"200": _json("ContactMessageList"), "401": _error("unauthorized"), "403": NOT_ADMIN}},
    },
    "/api/v1/admin/contact/{message_id}": {
        "parameters": [_CONTACT_ID],
        "post": {"operationId": "answerContactMessage",
                 "summary": "Reply (an empty reply keeps the last one) and open or close", "security": SECURED,
                 "requestBody": _body({"reply": {"type": "string", "maxLength": 1000, "pattern": "^[^\\u0000]*$"},
                                       "close": {"type": "boolean"}}, ["reply", "close"]),
                 "responses": {"200": _json("ContactMessage"), **_ADMIN_ERRORS, "400": _error("malformed"),
                               "415": _error("not JSON"), "422": _error("invalid_field")}},
    },
})


# Password recovery and the recovery factors (docs/recovery.md)
_NEW_PASSWORD = {"type": "string", "maxLength": 256, "description": "password_problem rules of a beneficiary"}
_IDENTIFIER = {"type": "string", "maxLength": 120, "pattern": "^[^\\u0000]*$"}
_RECOVERY_CODE = {"type": "string", "maxLength": 60, "pattern": "^[^\\u0000]*$",
                  "description": "20 Crockford base-32 characters; case, spaces and dashes do not count"}
DOCUMENT["components"]["schemas"].update({
    "RecoveryCodeSent": {"type": "object", "required": ["status", "message"],
                         "properties": {"status": {"const": "sent_if_possible"}, "message": {"type": "string"}}},
    "RecoveryAnswerState": {"type": "object", "required": ["recovery_token", "secret_question", "guesses_left"],
                            "properties": {"recovery_token": {"type": "string", "description": "for /recovery/answer, "
                                                              "15 minutes"},
                                           "secret_question": STRING_OR_NULL, "guesses_left": {"type": "integer"}}},
    "PasswordChanged": {"type": "object", "required": ["status"], "properties": {
        "status": {"const": "password_changed"},
        "recovery_code": {"type": "string", "description": "the new code (recovery by code only): shown once"}}},
    "NewRecoveryCode": {"type": "object", "required": ["recovery_code"],
                        "properties": {"recovery_code": {"type": "string", "description": "shown once, never kept; "
                                                         "the previous code no longer works"}}},
    "SecretQuestion": {"type": "object", "required": ["secret_question"],
                       "properties": {"secret_question": {"type": "string"}}},
})
DOCUMENT["paths"].update({
    "/api/v1/recovery/code": {
        "post": {"operationId": "sendRecoveryCode",
                 "summary": "Forgotten password, by the secret answer: a code by SMS to the account's confirmed phone. "
                            "Always 202, whether the identifier exists or has a phone",
                 "requestBody": _body({"identifier": _IDENTIFIER}, ["identifier"]),
                 "responses": {"202": _json("RecoveryCodeSent", "sent if there is such an account with a phone"),
                               "400": _error("malformed"), "415": _error("not JSON"), "429": _error("rate_limited")}},
    },
    "/api/v1/recovery/code/verify": {
        "post": {"operationId": "verifyRecoveryCode",
                 "summary": "The SMS code typed back: the prior factor. Returns the question, the guesses left and a "
                            "token for /recovery/answer",
                 "requestBody": _body({"identifier": _IDENTIFIER, "code": {"type": "string", "maxLength": 40,
                                                                            "pattern": "^[^\\u0000]*$"}},
                                      ["identifier", "code"]),
                 "responses": {"200": _json("RecoveryAnswerState"), "400": _error("malformed"),
                               "403": _error("code_refused: wrong, expired or no code (one answer for all)"),
                               "415": _error("not JSON"), "429": _error("rate_limited")}},
    },
    "/api/v1/recovery/answer": {
        "post": {"operationId": "recoverWithAnswer",
                 "summary": "The secret answer and the new password: one guess of 5 at the key service per call "
                            "(none if the new password is refused). The account keeps everything",
                 "requestBody": _body({"recovery_token": {"type": "string", "maxLength": 500, "pattern": "^[^\\u0000]*$"},
                                       "answer": {"type": "string", "maxLength": 200, "pattern": "^[^\\u0000]*$"},
                                       "new_password": _NEW_PASSWORD}, ["recovery_token", "answer", "new_password"]),
                 "responses": {"200": _json("PasswordChanged"), "400": _error("malformed"),
                               "401": _error("recovery_expired: no valid token, start again"),
                               "403": _error("wrong_answer (the message says how many guesses are left)"),
                               "409": _error("no_secret_answer"), "415": _error("not JSON"),
                               "422": _error("weak_password"),
                               "423": _error("answer_locked: no guesses left; a Relais or the support helps"),
                               "429": _error("rate_limited")}},
    },
    "/api/v1/recovery/recovery-code": {
        "post": {"operationId": "recoverWithRecoveryCode",
                 "summary": "The recovery code and the new password; the code is used up and a new one returned",
                 "requestBody": _body({"identifier": _IDENTIFIER, "recovery_code": _RECOVERY_CODE,
                                       "new_password": _NEW_PASSWORD}, ["identifier", "recovery_code", "new_password"]),
                 "responses": {"200": _json("PasswordChanged"), "400": _error("malformed"),
                               "403": _error("recovery_code_refused: one answer whatever is wrong"),
                               "415": _error("not JSON"), "422": _error("weak_password"),
                               "429": _error("rate_limited")}},
    },
    "/api/v1/me/secret-answer": {
        "put": {"operationId": "setSecretAnswer",
                "summary": "A new secret question and answer (beneficiaries); the old answer stops working",
                "security": SECURED,
                "requestBody": _body({"current_password": {"type": "string", "maxLength": 256},
                                      "question": {"type": "string", "minLength": 1, "maxLength": 200,
                                                   "pattern": "^[^\\u0000]*[0-9A-Za-z][^\\u0000]*$"},
                                      "answer": _ANSWER}, ["current_password", "question", "answer"]),
                "responses": {"200": _json("SecretQuestion"), "400": _error("malformed"),
                              "401": _error("unauthorized"), "403": _error("wrong_password, or not a beneficiary"),
                              "415": _error("not JSON"), "422": _error("invalid_field"),
                              "429": _error("rate_limited")}},
    },
    "/api/v1/me/recovery-code": {
        "post": {"operationId": "newRecoveryCode",
                 "summary": "A new recovery code (beneficiaries), returned once; the previous one stops working",
                 "security": SECURED,
                 "requestBody": _body({"current_password": {"type": "string", "maxLength": 256}}, ["current_password"]),
                 "responses": {"201": _json("NewRecoveryCode"), "400": _error("malformed"),
                               "401": _error("unauthorized"), "403": _error("wrong_password, or not a beneficiary"),
                               "415": _error("not JSON"), "429": _error("rate_limited")}},
    },
    "/api/v1/structures/{structure_id}/beneficiaries/{beneficiary_id}/recovery/answer": {
        "parameters": [STRUCTURE_ID, _BENEFICIARY_ID],
        "post": {"operationId": "assistedRecoveryWithAnswer",
                 "summary": "Mot de passe perdu, the person present: their secret answer and new password typed on the "
                            "professional's device (an actively affiliated beneficiary). One guess of 5 per call",
                 "security": SECURED,
                 "requestBody": _body({"answer": {"type": "string", "maxLength": 200, "pattern": "^[^\\u0000]*$"},
                                       "new_password": _NEW_PASSWORD}, ["answer", "new_password"]),
                 "responses": {"200": _json("PasswordChanged"), "400": _error("malformed"),
                               "401": _error("unauthorized"),
                               "403": _error("not a professional or manager, or wrong_answer (guesses left in the "
                                             "message)"),
                               "404": _error("not_found: no such Relais, or not actively affiliated"),
                               "409": _error("no_secret_answer"), "415": _error("not JSON"),
                               "422": _error("weak_password"), "423": _error("answer_locked"),
                               "429": _error("rate_limited")}},
    },
})


# Account deletion (R15)
DOCUMENT["components"]["schemas"].update({
    "DeletionLosses": {"type": "object", "required": ["documents", "notes", "contacts", "appointments", "structures",
                                                      "phone", "reminders"], "properties": {
        "documents": {"type": "integer"}, "notes": {"type": "integer"}, "contacts": {"type": "integer"},
        "appointments": {"type": "integer"}, "reminders": {"type": "integer", "description": "SMS still to be sent"},
        "structures": {"type": "array", "items": {"type": "string"}, "description": "Relais that lose access"},
        "phone": STRING_OR_NULL}},
    "Deleted": {"type": "object", "required": ["status"], "properties": {"status": {"type": "string", "enum": ["deleted"]}}},
    "DeletedBeneficiary": {"type": "object", "required": ["status", "account_id"], "properties": {
        "status": {"type": "string", "enum": ["deleted"]}, "account_id": {"type": "string"}}},
    "Refused": {"type": "object", "required": ["status"], "properties": {"status": {"type": "string", "enum": ["refused"]}}},
    "NamedManager": {"type": "object", "required": ["status"], "properties": {"status": {"type": "string", "enum": ["manager"]}}},
    "ManagerDeletionRequest": {"type": "object", "required": ["pending", "refusal_reason"], "properties": {
        "pending": {"type": "boolean"}, "refusal_reason": STRING_OR_NULL}},
    "ManagerDeletionRequests": {"type": "object", "required": ["requests"], "properties": {"requests": {
        "type": "array", "items": {"type": "object", "required": ["account_id", "identifier", "structures",
                                                                   "sole_manager_of", "can_validate"], "properties": {
            "account_id": {"type": "string"}, "identifier": {"type": "string"},
            "structures": {"type": "array", "items": {"type": "object", "properties": {
                "id": {"type": "string"}, "name": {"type": "string"}}}},
            "sole_manager_of": {"type": "array", "items": {"type": "string"}},
            "can_validate": {"type": "boolean"}}}}}},
})
DOCUMENT["paths"].update({
    "/api/v1/me/deletion": {
        "get": {"operationId": "myDeletionLosses",
                "summary": "What deleting my account would take away (beneficiaries): counts of items, the Relais "
                           "that lose access, the phone number and the reminders still to be sent",
                "security": SECURED,
                "responses": {"200": _json("DeletionLosses"), "401": _error("unauthorized"),
                              "403": _error("not a beneficiary")}},
    },
    "/api/v1/me/delete": {
        "post": {"operationId": "deleteMyAccount",
                 "summary": "Delete my account and all its data for good (beneficiaries): the key service shreds its "
                            "keys, items, blobs and directory entry go, affiliated Relais lose access at once, the "
                            "token ends. Download GET /api/v1/me/export first",
                 "security": SECURED,
                 "requestBody": _body({"password": {"type": "string", "maxLength": 1024},
                                       "confirm": {"type": "boolean", "enum": [True],
                                                   "description": "true: the person confirms"}},
                                      ["password", "confirm"]),
                 "responses": {"200": _json("Deleted"), "400": _error("malformed"), "401": _error("unauthorized"),
                               "403": _error("wrong_password, or not a beneficiary"), "415": _error("not JSON"),
                               "422": _error("confirmation_required")}},
    },
    "/api/v1/me/deletion-request": {
        "get": {"operationId": "myDeletionRequest",
                "summary": "Managers: whether my deletion request waits, and the platform's reason if it refused the last",
                "security": SECURED,
                "responses": {"200": _json("ManagerDeletionRequest"), "401": _error("unauthorized"),
                              "403": _error("not a manager")}},
        "post": {"operationId": "askMyDeletion",
                 "summary": "Managers: ask the platform to delete my account (professionals ask their manager, "
                            "beneficiaries POST /api/v1/me/delete); asking again changes nothing",
                 "security": SECURED,
                 "responses": {"201": _json("ManagerDeletionRequest"), "401": _error("unauthorized"),
                               "403": _error("not a manager"), "404": _error("not_found: in no Relais")}},
    },
    "/api/v1/admin/deletion-requests": {
        "get": {"operationId": "listManagerDeletionRequests",
                "summary": "Administrators: managers who asked for their deletion; can_validate is false while one "
                           "is the only manager of a Relais (sole_manager_of)",
                "security": SECURED,
                "responses": {"200": _json("ManagerDeletionRequests"), "401": _error("unauthorized"),
                              "403": _error("not an administrator")}},
    },
    "/api/v1/admin/deletion-requests/{account_id}/validate": {
        "parameters": [ACCOUNT_ID],
        "post": {"operationId": "validateManagerDeletion",
                 "summary": "Administrators: the manager leaves every Relais (each one's keys are renewed at the next "
                            "login of one of its members), then the account is erased",
                 "security": SECURED,
                 "responses": {"200": _json("Deleted"), "401": _error("unauthorized"),
                               "403": _error("not an administrator"), "404": _error("not_found: no such request"),
                               "409": _error("last_manager: the only manager of a Relais")}},
    },
    "/api/v1/admin/deletion-requests/{account_id}/refuse": {
        "parameters": [ACCOUNT_ID],
        "post": {"operationId": "refuseManagerDeletion",
                 "summary": "Administrators: refuse, with a reason the manager reads",
                 "security": SECURED,
                 "requestBody": _body({"reason": {"type": "string", "maxLength": 500, "pattern": _TEXT}}, ["reason"]),
                 "responses": {"200": _json("Refused"), "400": _error("malformed"), "401": _error("unauthorized"),
                               "403": _error("not an administrator"), "404": _error("not_found: no such request"),
                               "415": _error("not JSON"), "422": _error("invalid_field")}},
    },
    "/api/v1/structures/{structure_id}/managers": {
        "parameters": [STRUCTURE_ID],
        "post": {"operationId": "nameManager",
                 "summary": "Managers: make a professional of the Relais a manager too",
                 "security": SECURED,
                 "requestBody": _body({"account_id": {"type": "string", "pattern": ID_PATTERN}}, ["account_id"]),
                 "responses": {"200": _json("NamedManager"), "400": _error("malformed"), "401": _error("unauthorized"),
                               "403": _error("not staff"), "404": _error("not_found: no such Relais or professional"),
                               "415": _error("not JSON")}},
    },
    "/api/v1/admin/beneficiary-deletions": {
        "post": {"operationId": "deleteBeneficiaryForThePlatform",
                 "summary": "Administrators: delete a beneficiary's account when the person asks the platform "
                            "(ground request), or on a verified death or a court decision; the ground is recorded",
                 "security": SECURED,
                 "requestBody": _body({"identifier": STRING, "ground": {"type": "string", "enum": ["request", "death", "court"]}},
                                      ["identifier", "ground"]),
                 "responses": {"200": _json("DeletedBeneficiary"), "400": _error("malformed"),
                               "401": _error("unauthorized"), "403": _error("not an administrator"),
                               "404": _error("not_found: no active beneficiary with this identifier"),
                               "415": _error("not JSON"), "422": _error("invalid_field")}},
    },
})


# In-app notices (docs/time-rules.md)
_NOTICE_ID = {"name": "notice_id", "in": "path", "required": True, "schema": {"type": "string", "pattern": ID_PATTERN}}
DOCUMENT["components"]["schemas"].update({
    "InAppNotice": {"type": "object", "required": ["id", "kind", "text", "on_day", "structure_id", "beneficiary_id",
                                                  "created_at"],
                    "properties": {"id": {"type": "string"},
                                   "kind": {"type": "string", "enum": ["affiliation_idle_warning", "affiliation_ended_idle",
                                                                       "account_inactive_warning"]},
                                   "text": {"type": "string"}, "on_day": {"type": "string", "format": "date"},
                                   "structure_id": ID_OR_NULL, "beneficiary_id": ID_OR_NULL,
                                   "created_at": {"type": "string", "format": "date-time"}}},
    "InAppNoticeList": {"type": "object", "required": ["notices"], "properties": {
        "notices": {"type": "array", "items": {"$ref": "#/components/schemas/InAppNotice"}}}},
})
DOCUMENT["paths"].update({
    "/api/v1/me/app-notices": {
        "get": {"operationId": "myInAppNotices",
                "summary": "The account's notices not dismissed yet (the time rules' warnings), newest first; "
                           "`text` in the request's language, `on_day` the day what it announces happens",
                "security": SECURED, "responses": {"200": _json("InAppNoticeList"), "401": _error("unauthorized")}},
    },
    "/api/v1/me/app-notices/{notice_id}/dismiss": {
        "parameters": [_NOTICE_ID],
        "post": {"operationId": "dismissInAppNotice", "summary": "Read: the notice is no longer shown",
                 "security": SECURED,
                 "responses": {"200": _json("Status"), "401": _error("unauthorized"),
                               "404": _error("no such notice of this account, or already dismissed")}},
    },
})


# The reset with a professional, private part lost (R14; `api/assisted_reset.py`, docs/recovery.md).
_COUNT = {"type": "integer", "minimum": 0}
_RESET_PASSWORD = {"type": "string", "maxLength": 256, "description": "password_problem rules of a beneficiary"}
DOCUMENT["components"]["schemas"].update({
    "PrivatePart": {"type": "object", "required": ["document", "note", "contact", "appointment", "folder"],
                    "properties": {"document": _COUNT, "note": _COUNT, "contact": _COUNT, "appointment": _COUNT,
                                   "folder": _COUNT}},
    "ResetPreview": {"type": "object", "required": ["lost", "private_items"],
                     "properties": {"lost": {"$ref": "#/components/schemas/PrivatePart"}, "private_items": _COUNT}},
    "ResetDone": {"type": "object", "required": ["lost", "private_items", "shared_kept"],
                  "properties": {"lost": {"$ref": "#/components/schemas/PrivatePart"}, "private_items": _COUNT,
                                 "shared_kept": _COUNT}},
})
DOCUMENT["paths"].update({
    "/api/v1/structures/{structure_id}/beneficiaries/{beneficiary_id}/recovery/reset": {
        "parameters": [STRUCTURE_ID, _BENEFICIARY_ID],
        "get": {"operationId": "previewProfessionalReset",
                "summary": "What a reset without answer or code would delete for good: the private items and "
                           "folders, counted (nothing decrypted)",
                "security": SECURED,
                "responses": {"200": _json("ResetPreview"), "401": _error("unauthorized"), "403": _error("forbidden"),
                              "404": _error("not_found: no active affiliation of this person to this Relais")}},
        "post": {"operationId": "resetWithProfessional",
                 "summary": "With the person present: a new password and secret answer, a new identity; the private "
                            "part is deleted for good, the identifier, Relais and shared part stay. `understood` must "
                            "be true",
                 "security": SECURED,
                 "requestBody": _body({"understood": {"type": "boolean"}, "new_password": _RESET_PASSWORD,
                                       "secret_question": {"type": "string", "minLength": 1, "maxLength": 200,
                                                           "pattern": _TEXT},
                                       "secret_answer": {"type": "string", "maxLength": 200, "pattern": SOME_WORD}},
                                      ["understood", "new_password", "secret_question", "secret_answer"]),
                 "responses": {"200": _json("ResetDone"), "400": _error("confirmation_required, bad_request"),
                               "401": _error("unauthorized"), "403": _error("forbidden"),
                               "404": _error("not_found: no active affiliation of this person to this Relais"),
                               "409": _error("reset_unavailable: this Relais holds no key of the shared part yet"),
                               "415": _error("not JSON"), "422": _error("weak_password"),
                               "429": _error("rate_limited (10 an hour per address)")}},
    },
})

@blueprint.get("/openapi.json")
def document():
    return jsonify(DOCUMENT)
