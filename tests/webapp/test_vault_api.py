"""The vault through the JSON API: same rules as the pages."""
import pytest

from .test_api import login


@pytest.fixture
def auth(client, make_account):
    return login(client, make_account())


def test_create_read_update_share_trash_restore(client, auth):
    created = client.post("/api/v1/items", json={"kind": "appointment", "shared": False,
                                                  "metadata": {"title": "Préfecture", "date": "2026-12-03", "time": "09:30"}},
                          headers=auth)
    assert created.status_code == 201 and created.json["shared"] is False
    item_id = created.json["id"]
    assert client.get(f"/api/v1/items/{item_id}", headers=auth).json["metadata"]["title"] == "Préfecture"
    updated = client.patch(f"/api/v1/items/{item_id}", json={"metadata": {"title": "Préfecture", "date": "2026-12-04"}}, headers=auth)
    assert updated.json["metadata"] == {"title": "Préfecture", "date": "2026-12-04"}
    assert client.post(f"/api/v1/items/{item_id}/share", json={"shared": True}, headers=auth).json["shared"] is True
    assert [i["id"] for i in client.get("/api/v1/items?kind=appointment", headers=auth).json["items"]] == [item_id]
    assert client.delete(f"/api/v1/items/{item_id}", headers=auth).json == {"status": "ok"}
    assert client.get(f"/api/v1/items/{item_id}", headers=auth).status_code == 404
    assert [i["id"] for i in client.get("/api/v1/trash", headers=auth).json["items"]] == [item_id]
    assert client.post(f"/api/v1/items/{item_id}/restore", headers=auth).json["id"] == item_id


def test_invalid_field_is_named_in_the_users_language(client, auth):
    response = client.post("/api/v1/items", json={"kind": "contact", "shared": False, "metadata": {"name": "X", "email": "pas-un-mail"}},
                           headers={**auth, "Accept-Language": "en"})
    assert response.status_code == 422 and response.json["error"] == {
        "code": "invalid_field", "message": "email: This e-mail address does not look right."}


def test_other_beneficiary_gets_404(client, auth, make_account):
    item_id = client.post("/api/v1/items", json={"kind": "note", "shared": True, "metadata": {"title": "à moi"}},
                          headers=auth).json["id"]
    other = login(client, make_account())
    for method, path in [("get", f"/api/v1/items/{item_id}"), ("delete", f"/api/v1/items/{item_id}"),
                         ("post", f"/api/v1/items/{item_id}/restore")]:
        assert getattr(client, method)(path, headers=other).status_code == 404
    assert client.post(f"/api/v1/items/{item_id}/share", json={"shared": False}, headers=other).status_code == 404


def test_staff_have_no_vault(client, make_account):
    staff = login(client, make_account(role="professional"))
    assert client.get("/api/v1/items", headers=staff).json["error"]["code"] == "forbidden"


def test_upload_and_download_through_the_api(client, auth):
    import io
    import os

    pdf = b"%PDF-1.4\n" + os.urandom(150_000)
    created = client.post("/api/v1/documents", headers=auth, content_type="multipart/form-data",
                          data={"files": [(io.BytesIO(pdf), "bulletin.pdf")], "shared": "true"})
    assert created.status_code == 201
    [item] = created.json["items"]
    assert item["shared"] and item["metadata"] == {"title": "bulletin", "file_name": "bulletin.pdf", "mime": "application/pdf"}
    assert item["size"] == len(pdf)
    assert client.get(f"/api/v1/items/{item['id']}/content", headers=auth).data == pdf
    refused = client.post("/api/v1/documents", headers=auth, content_type="multipart/form-data",
                          data={"files": [(io.BytesIO(b"<svg/>"), "x.svg")]})
    assert refused.status_code == 422 and refused.json["error"]["code"] == "invalid_file"


def test_folders_through_the_api(client, auth):
    folder = client.post("/api/v1/folders", json={"title": "Logement", "shared": False, "parent_id": None}, headers=auth)
    assert folder.status_code == 201 and folder.json["kind"] == "folder"
    item_id = client.post("/api/v1/items", json={"kind": "note", "shared": True, "metadata": {"title": "quittance"}},
                          headers=auth).json["id"]
    moved = client.post(f"/api/v1/items/{item_id}/move", json={"folder_id": folder.json["id"]}, headers=auth).json
    assert moved["made_private"] is True and moved["item"]["shared"] is False and moved["item"]["folder_id"] == folder.json["id"]
    loop = client.post(f"/api/v1/items/{folder.json['id']}/move", json={"folder_id": folder.json["id"]}, headers=auth)
    assert loop.status_code == 409 and loop.json["error"]["code"] == "invalid_destination"
    assert "dans lui-même" in loop.json["error"]["message"]
    inner = client.post("/api/v1/folders", json={"title": "Quittances", "shared": False, "parent_id": folder.json["id"]},
                        headers=auth).json
    below = client.post(f"/api/v1/items/{folder.json['id']}/move", json={"folder_id": inner["id"]},
                        headers={**auth, "Accept-Language": "en"})
    assert below.status_code == 409 and below.json["error"]["code"] == "invalid_destination"
    assert "into itself" in below.json["error"]["message"]
    into_a_note = client.post(f"/api/v1/items/{inner['id']}/move", json={"folder_id": item_id}, headers=auth)
    assert into_a_note.status_code == 409 and into_a_note.json["error"]["code"] == "invalid_destination"
    under_a_note = client.post("/api/v1/folders", json={"title": "Bail", "shared": False, "parent_id": item_id}, headers=auth)
    assert under_a_note.status_code == 409 and under_a_note.json["error"]["code"] == "invalid_destination"
    assert client.post(f"/api/v1/items/{folder.json['id']}/move", json={"folder_id": "0" * 32}, headers=auth).status_code == 404
    assert client.get(f"/api/v1/items/{folder.json['id']}", headers=auth).json["folder_id"] is None
