"""A page sends the browser back only to a path of this site."""
import pytest

from webapp.redirects import local_path


@pytest.mark.parametrize("target", ["/coffre/", "/coffre/dossier/abc?vue=liste", "/"])
def test_a_path_of_this_site_is_kept(target):
    assert local_path(target) == target


@pytest.mark.parametrize("target", [None, "", "https://ailleurs.example/", "//ailleurs.example/", "/\\ailleurs.example",
                                    "\\\\ailleurs.example", "coffre/", "/\tailleurs", "javascript:alert(1)"])
def test_anything_else_goes_home(target):
    assert local_path(target) == "/"


@pytest.mark.parametrize("target", ["/\\ailleurs.example", "//ailleurs.example/", "https://ailleurs.example/"])
def test_the_language_switch_never_leaves_the_site(client, target):
    response = client.get("/langue/en", query_string={"suite": target})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/langue/fr", query_string={"suite": "/connexion"}).headers["Location"] == "/connexion"
