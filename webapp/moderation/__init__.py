"""Moderation (R12): reports of items, accounts and Relais, administrators' decisions, formal notices."""
