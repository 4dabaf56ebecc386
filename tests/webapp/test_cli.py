"""The administration commands: first administrator, new terms (R2, R10)."""
from .conftest import csrf_token


def test_create_admin_prints_a_one_time_password_to_change(app, client):
    result = app.test_cli_runner().invoke(args=["create-admin", "admin.camille.martin"])
    assert result.exit_code == 0, result.output
    password = result.output.strip().splitlines()[-1]
    assert len(password) >= 40
    response = client.post("/connexion", data={"identifier": "admin.camille.martin", "password": password, "csrf_token": csrf_token(client)})
    assert response.status_code == 302
    assert client.get("/").headers["Location"] == "/conditions"


def test_new_terms_must_be_accepted_again(app, client, make_account, tmp_path):
    from .conftest import log_in

    log_in(client, make_account())
    assert client.get("/").status_code == 200
    new_terms = tmp_path / "cgs-v2.txt"
    new_terms.write_text("Conditions, version 2.", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["publish-terms", str(new_terms)])
    assert "version 2" in result.output
    assert client.get("/").headers["Location"] == "/conditions"
    page = client.get("/conditions")
    assert "Conditions, version 2." in page.text
    client.post("/conditions", data={"csrf_token": csrf_token(client, "/conditions"), "version": "2", "accept": "y"})
    assert client.get("/").status_code == 200
    me = client.get("/api/v1/me").json
    assert me["terms_version_accepted"] == me["terms_version_current"] == 2
