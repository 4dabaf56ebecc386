"""The journal format: a chain verifies, and every alteration of it after a signed head does not."""
import dataclasses

import pytest

from vaultcore import journal
from vaultcore.errors import CryptoError
from vaultcore.journal import Entry, JournalBroken, open_head, verify_chain
from vaultcore.keys import IdentityKeys
from vaultcore.statement import sign_statement

CHAIN = "a" * 32


def entries(count: int, chain: str = CHAIN) -> list[tuple[Entry, bytes]]:
    chained, previous = [], journal.genesis(chain)
    for seq in range(1, count + 1):
        entry = Entry(seq, 1_700_000_000_000_000 + seq, "login.succeeded", chain, chain, None, '{"n":%d}' % seq)
        previous = journal.link(previous, journal.encode_entry(chain, entry))
        chained.append((entry, previous))
    return chained


def relinked(events: list[tuple[Entry, bytes]], chain: str = CHAIN) -> list[tuple[Entry, bytes]]:
    """What an attacker who writes the database does: recompute every link after a change."""
    out, previous = [], journal.genesis(chain)
    for seq, (entry, _link) in enumerate(events, start=1):
        entry = dataclasses.replace(entry, seq=seq)
        previous = journal.link(previous, journal.encode_entry(chain, entry))
        out.append((entry, previous))
    return out


def signed_head(platform, events, seq: int, version: int = 1, chain: str = CHAIN) -> bytes:
    return sign_statement(platform.signing_key, platform.verify_key, journal.head_context(chain, version),
                          journal.head_body(seq, events[seq - 1][1]))


def verify(platform, events, blob, high_water):
    return verify_chain(CHAIN, events, open_head(blob, [platform.verify_key], CHAIN, high_water))


def test_a_chain_and_its_signed_head_verify(platform):
    events = entries(5)
    assert verify(platform, events, signed_head(platform, events, 3, version=2), 2) == (5, events[-1][1])
    assert verify_chain(CHAIN, [], None) == (0, journal.genesis(CHAIN))


def test_one_event_altered_fails(platform):
    events = entries(5)
    events[2] = (dataclasses.replace(events[2][0], action="login.failed"), events[2][1])
    with pytest.raises(JournalBroken) as broken:
        verify(platform, events, None, 0)
    assert broken.value.seq == 3 and str(broken.value) == "decryption failed" and isinstance(broken.value, CryptoError)


@pytest.mark.parametrize("change", ["altered", "deleted", "reordered", "inserted"])
def test_changes_before_a_signed_head_fail_even_with_every_link_recomputed(platform, change):
    events = entries(6)
    head = signed_head(platform, events, 5)
    if change == "altered":
        events[1] = (dataclasses.replace(events[1][0], details='{"n":99}'), events[1][1])
    elif change == "deleted":
        del events[1]
    elif change == "reordered":
        events[1], events[2] = events[2], events[1]
    else:
        events.insert(2, entries(1)[0])
    with pytest.raises(JournalBroken):
        verify(platform, events, head, 1)
    with pytest.raises(JournalBroken):
        verify(platform, relinked(events), head, 1)


def test_stored_links_must_match(platform):
    events = entries(3)
    events[0] = (events[0][0], bytes(32))
    with pytest.raises(JournalBroken):
        verify(platform, events, None, 0)


def test_a_gap_in_sequence_numbers_fails(platform):
    events = entries(3)
    del events[1]
    with pytest.raises(JournalBroken) as broken:
        verify(platform, events, None, 0)
    assert broken.value.seq == 2


def test_truncated_at_the_end_after_a_signed_head_fails(platform):
    events = entries(5)
    head = signed_head(platform, events, 5)
    with pytest.raises(JournalBroken) as broken:
        verify(platform, events[:4], head, 1)
    assert broken.value.seq is None


def test_rolled_back_head_or_missing_head_fails(platform):
    events = entries(5)
    old_head = signed_head(platform, events, 3, version=1)
    with pytest.raises(JournalBroken):
        verify(platform, events[:3], old_head, 2)  # the key service signed version 2 since
    with pytest.raises(JournalBroken):
        verify(platform, events, None, 1)  # a head was signed, and deleted from the database
    with pytest.raises(JournalBroken):
        verify(platform, events, old_head, 0)  # a head the key service never signed


def test_a_head_of_another_chain_or_signer_or_purpose_fails(platform):
    other_chain = "b" * 32
    events = entries(3)
    with pytest.raises(JournalBroken):
        verify(platform, events, signed_head(platform, entries(3, other_chain), 3, chain=other_chain), 1)
    stranger = IdentityKeys.generate()
    with pytest.raises(JournalBroken):
        verify(platform, events, signed_head(stranger, events, 3), 1)
    roster = sign_statement(platform.signing_key, platform.verify_key, {"purpose": "roster", "structure": CHAIN, "version": 1},
                            journal.head_body(3, events[2][1]))
    with pytest.raises(JournalBroken):
        verify(platform, events, roster, 1)


def test_chains_are_separated_and_fields_are_not_ambiguous():
    assert journal.genesis(CHAIN) != journal.genesis("b" * 32)
    entry = Entry(1, 1, "x", None, "s", None, "{}")
    assert journal.encode_entry(CHAIN, entry) != journal.encode_entry("b" * 32, entry)
    assert journal.encode_entry(CHAIN, entry) != journal.encode_entry(CHAIN, dataclasses.replace(entry, actor="s", subject=None))
    assert journal.encode_entry(CHAIN, entry) != journal.encode_entry(CHAIN, dataclasses.replace(entry, actor=""))
