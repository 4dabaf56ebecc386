"""SMS settings from the environment: the outbox by default, Brevo only when fully configured."""
import pytest

from webapp.config import BREVO_API_URL, SmsSettings


def test_the_embedded_default_keeps_sms_in_the_outbox():
    settings = SmsSettings.from_env({})
    assert (settings.provider, settings.daily_limit_per_number, settings.daily_limit_per_account,
            settings.daily_limit_per_structure) == ("outbox", 10, 30, 2000)


def test_brevo_needs_its_key_and_sender_and_keeps_the_key_out_of_repr():
    with pytest.raises(ValueError, match="BREVO_API_KEY"):
        SmsSettings.from_env({"SMS_PROVIDER": "brevo", "BREVO_SENDER": "CSolidaire"})
    settings = SmsSettings.from_env({"SMS_PROVIDER": "brevo", "BREVO_API_KEY": "xkeysib-secret", "BREVO_SENDER": "CSolidaire",
                                     "SMS_WEBHOOK_SECRET": "hook-secret", "SMS_DAILY_LIMIT_PER_NUMBER": "3"})
    assert (settings.brevo_api_url, settings.daily_limit_per_number) == (BREVO_API_URL, 3)
    assert "xkeysib-secret" not in repr(settings) and "hook-secret" not in repr(settings)


def test_an_unknown_provider_is_refused():
    with pytest.raises(ValueError, match="SMS_PROVIDER"):
        SmsSettings.from_env({"SMS_PROVIDER": "twilio"})
