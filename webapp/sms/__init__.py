"""SMS: the delivery pipeline (ledger, gateways, quotas, opt-outs), phone numbers, one-time codes.
See docs/sms.md."""
