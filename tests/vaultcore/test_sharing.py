"""Shared part and structures: who can read what after affiliation, removal and rotation."""
import os

import pytest

from vaultcore import item, sharedpart, structure
from vaultcore.errors import CryptoError
from vaultcore.keys import IdentityKeys
from vaultcore.statement import open_statement, sign_statement


def sign_epoch(platform, epoch, generations):
    blob = sign_statement(
        platform.signing_key,
        platform.verify_key,
        sharedpart.epoch_context(epoch.owner, epoch.number),
        sharedpart.epoch_body(epoch, generations),
    )
    return open_statement(blob, [platform.verify_key], "shared-part-epoch")


def test_shared_item_key_round_trip_and_binding():
    epoch, key = sharedpart.Epoch.first("b1"), os.urandom(32)
    sealed = sharedpart.seal_item_key(epoch, "i1", key)
    assert sharedpart.open_item_key(epoch, "i1", sealed) == key
    with pytest.raises(CryptoError):
        sharedpart.open_item_key(epoch, "i2", sealed)
    with pytest.raises(CryptoError):
        sharedpart.open_item_key(sharedpart.Epoch("b2", 1, epoch.key), "i1", sealed)
    with pytest.raises(CryptoError):
        sharedpart.open_item_key(epoch.next(), "i1", sealed)


def test_chain_gives_older_epochs_not_newer():
    first = sharedpart.Epoch.first("b1")
    second = first.next()
    link = sharedpart.chain(second, first)
    assert sharedpart.open_chain(second, link).key == first.key
    with pytest.raises(CryptoError):
        sharedpart.open_chain(first, link)


def test_epoch_record_pins_the_key_and_generations(platform):
    epoch = sharedpart.Epoch.first("b1")
    record = sign_epoch(platform, epoch, {"s1": 1, "s2": 4})
    sharedpart.check_epoch_key(epoch, record)
    with pytest.raises(CryptoError):
        sharedpart.check_epoch_key(sharedpart.Epoch("b1", 1, os.urandom(32)), record)
    assert sharedpart.is_fresh(record, {"s1": 1, "s2": 4})
    assert not sharedpart.is_fresh(record, {"s1": 2, "s2": 4})  # a structure rotated
    assert not sharedpart.is_fresh(record, {"s1": 1})  # an affiliation ended


def test_epoch_wrap_to_structure_is_bound():
    beneficiary = IdentityKeys.generate()
    generation = structure.Generation.new("s1", 1)
    epoch = sharedpart.Epoch.first("b1")
    blob = sharedpart.wrap_epoch(epoch, "s1", 1, generation.keys.public, "b1", beneficiary)
    stored = structure.EpochWrap("b1", 1, blob, "b1", beneficiary.verify_key)
    assert structure.unwrap_epoch_for_structure(generation, stored).key == epoch.key
    with pytest.raises(CryptoError):  # the same wrap presented as another beneficiary's
        structure.unwrap_epoch_for_structure(generation, structure.EpochWrap("b2", 1, blob, "b1", beneficiary.verify_key))
    with pytest.raises(CryptoError):  # or as another generation's
        other = structure.Generation("s1", 2, generation.keys)
        structure.unwrap_epoch_for_structure(other, stored)


def test_generation_key_unwrap_checks_the_certified_key(platform):
    from vaultcore import publickey

    manager, member = IdentityKeys.generate(), IdentityKeys.generate()
    generation = structure.Generation.new("s1", 1)
    record = publickey.structure_record("s1", 1, generation.keys)
    blob = structure.wrap_generation(generation, structure.Member("p1", 1, member.box_public), "m1", manager)
    opened = structure.unwrap_generation(blob, record, "p1", 1, member.box, "m1", manager.verify_key)
    assert opened.keys.secret == generation.keys.secret
    # A genuine manager wrapping a key pair that is not the certified one: the login stops.
    rogue = structure.Generation.new("s1", 1)
    blob = structure.wrap_generation(rogue, structure.Member("p1", 1, member.box_public), "m1", manager)
    with pytest.raises(CryptoError):
        structure.unwrap_generation(blob, record, "p1", 1, member.box, "m1", manager.verify_key)


def test_roster_round_trip(platform):
    blob = sign_statement(
        platform.signing_key, platform.verify_key, structure.roster_context("s1", 2), structure.roster_body(2, ["p2", "p1", "p1"])
    )
    assert structure.parse_roster(open_statement(blob, [platform.verify_key], "roster")) == (2, ["p1", "p2"])


def test_removed_member_reads_nothing_shared_after_rotation(platform):
    """The full story: a member leaves, the structure rotates, the next share makes a new epoch."""
    beneficiary = item.Author("b1", 1, IdentityKeys.generate())
    manager = IdentityKeys.generate()
    gen1 = structure.Generation.new("s1", 1)
    epoch1 = sharedpart.Epoch.first("b1")
    record1 = sign_epoch(platform, epoch1, {"s1": 1})
    wrap1 = sharedpart.wrap_epoch(epoch1, "s1", 1, gen1.keys.public, "b1", beneficiary.keys)
    before = os.urandom(32)
    sealed_before = sharedpart.seal_item_key(epoch1, "old", before)

    # What the departing member took: generation 1's private key, and every stored blob.
    leaver_generation = gen1
    leaver_epoch = structure.unwrap_epoch_for_structure(
        leaver_generation, structure.EpochWrap("b1", 1, wrap1, "b1", beneficiary.keys.verify_key)
    )
    assert sharedpart.open_item_key(leaver_epoch, "old", sealed_before) == before

    # Rotation: generation 2 and the epoch wraps re-made for it; epoch 1 is now stale.
    gen2 = structure.Generation.new("s1", 2)
    stored = [structure.EpochWrap("b1", 1, wrap1, "b1", beneficiary.keys.verify_key)]
    [(_, wrap1_gen2)] = structure.rotate_epoch_wraps(gen1, gen2, stored, "m1", manager)
    assert not sharedpart.is_fresh(record1, {"s1": 2})

    # The next share makes epoch 2, wrapped to generation 2 and chained to epoch 1.
    epoch2 = epoch1.next()
    sign_epoch(platform, epoch2, {"s1": 2})
    wrap2 = sharedpart.wrap_epoch(epoch2, "s1", 2, gen2.keys.public, "b1", beneficiary.keys)
    chain = sharedpart.chain(epoch2, epoch1)
    after = os.urandom(32)
    sealed_after = sharedpart.seal_item_key(epoch2, "new", after)

    # A remaining member reads both; the leaver, holding generation 1 and every blob, cannot.
    current = structure.unwrap_epoch_for_structure(gen2, structure.EpochWrap("b1", 2, wrap2, "b1", beneficiary.keys.verify_key))
    assert sharedpart.open_item_key(current, "new", sealed_after) == after
    assert sharedpart.open_item_key(sharedpart.open_chain(current, chain), "old", sealed_before) == before
    with pytest.raises(CryptoError):
        structure.unwrap_epoch_for_structure(leaver_generation, structure.EpochWrap("b1", 2, wrap2, "b1", beneficiary.keys.verify_key))
    with pytest.raises(CryptoError):
        sharedpart.open_item_key(leaver_epoch, "new", sealed_after)
    with pytest.raises(CryptoError):
        sharedpart.open_item_key(sharedpart.Epoch("b1", 2, leaver_epoch.key), "new", sealed_after)
    with pytest.raises(CryptoError):
        structure.unwrap_epoch_for_structure(
            structure.Generation("s1", 2, leaver_generation.keys),
            structure.EpochWrap("b1", 1, wrap1_gen2, "m1", manager.verify_key),
        )


def test_rotation_must_go_to_the_next_generation():
    gen1, gen3 = structure.Generation.new("s1", 1), structure.Generation.new("s1", 3)
    with pytest.raises(ValueError):
        list(structure.rotate_epoch_wraps(gen1, gen3, [], "m1", IdentityKeys.generate()))
