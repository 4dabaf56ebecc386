"""Configuration from the environment: the embedded default needs none, production refuses half a setup."""
import pytest

from webapp.config import Settings


def test_embedded_default_needs_nothing(tmp_path):
    settings = Settings.from_env({"INSTANCE_DIR": str(tmp_path)})
    assert settings.database_url.startswith("sqlite:///") and settings.redis_url is None
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert Settings.from_env({"INSTANCE_DIR": str(tmp_path)}).secret_key == settings.secret_key


def test_production_needs_a_shared_secret_key(tmp_path):
    with pytest.raises(ValueError):
        Settings.from_env({"INSTANCE_DIR": str(tmp_path), "PRODUCTION": "true"})
    settings = Settings.from_env({"INSTANCE_DIR": str(tmp_path), "PRODUCTION": "true", "SECRET_KEY": "k" * 40,
                                  "REDIS_URL": "redis://r:6379/0", "DATABASE_URL": "postgresql+psycopg://db/app"})
    assert settings.production and settings.redis_url == "redis://r:6379/0"


def test_the_login_limit_is_10_a_minute_unless_set(tmp_path):
    assert Settings.from_env({"INSTANCE_DIR": str(tmp_path)}).login_rate_limit == "10 per minute"
    raised = Settings.from_env({"INSTANCE_DIR": str(tmp_path), "LOGIN_RATE_LIMIT": "100 per minute"})
    assert raised.login_rate_limit == "100 per minute"


def test_health_endpoint(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok"}


def test_hsts_only_in_production(client):
    assert "Strict-Transport-Security" not in client.get("/connexion").headers
