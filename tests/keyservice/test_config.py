"""Settings from the environment: defaults, and refusals that stop the service before it starts."""
from __future__ import annotations

import pytest

from keyservice.config import Config
from keyservice.errors import ConfigError


def test_defaults_keep_the_database_in_the_data_dir():
    config = Config.from_env({})
    assert config.database_url == "sqlite:///instance/keyservice/keyservice.db"
    assert (config.max_guesses, config.login_limits.per_account, config.login_limits.global_count) == (5, 10, 600)
    assert Config.from_env({"KEYSERVICE_DATA_DIR": "/srv/ks"}).database_url == "sqlite:////srv/ks/keyservice.db"


@pytest.mark.parametrize("value", ["five", "0", "-3", "2.5"])
def test_a_bad_number_is_refused_by_name(value):
    with pytest.raises(ConfigError, match="KEYSERVICE_MAX_GUESSES"):
        Config.from_env({"KEYSERVICE_MAX_GUESSES": value})


def test_http_mode_needs_a_caller_token_distinct_from_the_admin_token():
    with pytest.raises(ConfigError, match="KEYSERVICE_TOKEN is not set"):
        Config.from_env({}).require_token()
    with pytest.raises(ConfigError, match="must differ"):
        Config.from_env({"KEYSERVICE_TOKEN": "same", "KEYSERVICE_ADMIN_TOKEN": "same"}).require_token()
    assert Config.from_env({"KEYSERVICE_TOKEN": "caller"}).require_token() == "caller"
