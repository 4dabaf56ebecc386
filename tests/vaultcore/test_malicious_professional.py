"""The brief's malicious professional, at the library level.

A realistic store is built (two structures, three beneficiaries, private and shared items, a
professional in both structures, a member removed after a rotation). The attacker then holds every
stored blob and every key their own account unlocks, and tries every key on every blob, reading each
blob's own claimed context. They must open the shared items of affiliated beneficiaries, and nothing
else.
"""
import itertools
import os

from vaultcore import item, kdf, sharedpart, structure, wrap
from vaultcore.encoding import Reader, read_header
from vaultcore.errors import CryptoError
from vaultcore.keys import BoxKeyPair, IdentityKeys
from vaultcore.record import open_record


class Store:
    """What a database thief sees: blobs only."""

    def __init__(self):
        self.wraps: list[bytes] = []
        self.records: list[bytes] = []
        self.metadata: dict[str, bytes] = {}


def add_item(store, owner, author, item_id, shared_epoch=None):
    ref = item.ItemRef(item_id, owner.account)
    key = os.urandom(32)
    store.metadata[item_id] = item.encrypt_metadata(key, ref, {"title": f"canary {item_id}"})
    store.wraps.append(item.wrap_item_key_to_owner(key, ref, owner.keys.box_public, 1, author))
    if shared_epoch is not None:
        store.records.append(sharedpart.seal_item_key(shared_epoch, item_id, key))


def share_with(store, beneficiary, epoch, generation):
    blob = sharedpart.wrap_epoch(epoch, generation.structure, generation.number,
                                 generation.keys.public, beneficiary.account, beneficiary.keys)
    store.wraps.append(blob)
    return blob


def build():
    store = Store()
    people = {name: item.Author(name, 1, IdentityKeys.generate()) for name in ["alice", "bob", "carla", "pro", "leaver", "m"]}
    gen_a1, gen_b = structure.Generation.new("A", 1), structure.Generation.new("B", 1)
    for member, generation in [("pro", gen_a1), ("leaver", gen_a1), ("pro", gen_b)]:
        who = people[member]
        store.wraps.append(structure.wrap_generation(generation, structure.Member(member, 1, who.keys.box_public), "m", people["m"].keys))
    alice_epoch, bob_epoch, carla_epoch = (sharedpart.Epoch.first(n) for n in ["alice", "bob", "carla"])
    alice_wrap_a1 = share_with(store, people["alice"], alice_epoch, gen_a1)  # alice ↔ A
    share_with(store, people["bob"], bob_epoch, gen_b)  # bob ↔ B
    # carla is affiliated to no structure of the professional's: her epoch goes to her only.
    store.wraps.append(sharedpart.wrap_epoch(carla_epoch, "carla", 1, people["carla"].keys.box_public, "carla", people["carla"].keys))
    for name, epoch in [("alice", alice_epoch), ("bob", bob_epoch), ("carla", carla_epoch)]:
        owner = people[name]
        add_item(store, owner, owner, f"{name}-private-1")
        add_item(store, owner, owner, f"{name}-private-2")
        add_item(store, owner, owner, f"{name}-shared", shared_epoch=epoch)
    add_item(store, people["alice"], people["pro"], "alice-added-by-pro", shared_epoch=alice_epoch)

    # "leaver" is removed from A: generation 2, epochs re-wrapped, the next share makes epoch 2.
    gen_a2 = structure.Generation.new("A", 2)
    store.wraps.append(structure.wrap_generation(gen_a2, structure.Member("pro", 1, people["pro"].keys.box_public), "m", people["m"].keys))
    stored = structure.EpochWrap("alice", 1, alice_wrap_a1, "alice", people["alice"].keys.verify_key)
    for _, rewrapped in structure.rotate_epoch_wraps(gen_a1, gen_a2, [stored], "m", people["m"].keys):
        store.wraps.append(rewrapped)
    alice_epoch2 = alice_epoch.next()
    share_with(store, people["alice"], alice_epoch2, gen_a2)
    store.records.append(sharedpart.chain(alice_epoch2, alice_epoch))
    add_item(store, people["alice"], people["alice"], "alice-shared-after-rotation", shared_epoch=alice_epoch2)
    return store, people


def attack(store, box_keys: list[BoxKeyPair]):
    """Try every key on every blob until nothing new opens; return the item ids whose metadata opened."""
    symmetric: set[bytes] = set()
    boxes = list(box_keys)
    changed = True
    while changed:
        changed = False
        for blob, box in itertools.product(store.wraps, list(boxes)):
            context = read_header(Reader(blob), wrap.KIND)
            signer = blob[-96:-64]
            try:
                payload = wrap.unwrap_key(blob, box, context, signer)
            except CryptoError:
                continue
            new_box = BoxKeyPair.from_secret(payload)
            if payload not in symmetric:
                symmetric.add(payload)
                boxes.append(new_box)
                changed = True
        for blob, key in itertools.product(store.records, list(symmetric)):
            context = read_header(Reader(blob), b"R")
            for label in (kdf.LABEL_SHARED_ITEM_WRAP, kdf.LABEL_SHARED_CHAIN):
                try:
                    payload = open_record(kdf.derive(key, label), context, blob)
                except CryptoError:
                    continue
                if payload not in symmetric:
                    symmetric.add(payload)
                    changed = True
    opened = set()
    for item_id, blob in store.metadata.items():
        context = read_header(Reader(blob), b"R")
        for key in symmetric:
            try:
                open_record(kdf.derive(key, kdf.LABEL_ITEM_META), context, blob)
                opened.add(item_id)
            except CryptoError:
                pass
    return opened


def test_professional_opens_only_the_shared_part_of_affiliated_beneficiaries():
    store, people = build()
    opened = attack(store, [people["pro"].keys.box])
    assert opened == {"alice-shared", "alice-added-by-pro", "alice-shared-after-rotation", "bob-shared"}


def test_removed_member_opens_nothing_shared_after_the_rotation():
    store, people = build()
    opened = attack(store, [people["leaver"].keys.box])
    assert opened == {"alice-shared", "alice-added-by-pro"}


def test_beneficiary_opens_all_of_their_own_and_nothing_else():
    store, people = build()
    assert attack(store, [people["carla"].keys.box]) == {"carla-private-1", "carla-private-2", "carla-shared"}
