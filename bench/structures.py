"""Structures benchmark: the cost of sharing with Relais, in wraps and time (docs/crypto.md, *Rotation cost*).

Run with `make bench-structures`. Environment:
    BENCH_REPEATS  repeats per measurement; medians are reported (default 3)
    BENCH_SMALL    "1" checks the script quickly: 100 shared items, 200 affiliated beneficiaries

Measured in-process on a fresh embedded instance (SQLite, key service in-process), through the
services the pages call, each in its own transaction:
- affiliation: `SharedPart.grant` of a beneficiary sharing 1,000 items to one more Relais;
- structure rotation: `Structures.remove_member` of a Relais with 5,000 affiliated beneficiaries
  (each epoch key re-wrapped from generation g to g+1);
- shared-part rotation: an affiliation of a beneficiary sharing 1,000 items ends (`SharedPart.revoke`)
  and the next share makes the new epoch.
The 5,000 beneficiaries have certified identities (no password bundle: nobody logs in as them), a
signed affiliation set naming the Relais with their consent, and an epoch wrapped to the Relais by
the real `vaultcore` wrap: everything the rotation reads and checks. Wrap counts are counted in the
database after each action, never computed.
A benchmark, not a test: it prints verdicts on the targets and exits 0.
"""
from __future__ import annotations

import os
import platform
import secrets
import statistics
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

from machine import cpu_model  # bench/ is the script's folder, first on sys.path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PASSWORD = "le soleil se lève sur la colline"
FULL = {"items": 1000, "beneficiaries": 5000}
QUICK = {"items": 100, "beneficiaries": 200}
TARGETS = {"affiliation_s": 1.0, "structure_rotation_s": 5.0, "shared_part_rotation_s": 1.0}


def main() -> None:
    from sqlalchemy import func, select

    from vaultcore import publickey, sharedpart
    from vaultcore.keys import IdentityKeys
    from webapp import create_app
    from webapp.accounts import services as accounts
    from webapp.accounts.models import Account, Person
    from webapp.cli import ensure_terms
    from webapp.config import Settings
    from webapp.database import db
    from webapp.db import new_id
    from webapp.migrations import upgrade
    from webapp.structures.models import Affiliation, GenerationWrap, Structure, StructureApplication
    from webapp.structures.services import Actor, Structures, current_generation_keys
    from webapp.vault.affiliation_set import AffiliationSets
    from webapp.vault.keyring import Keyring
    from webapp.vault.models import EpochWrap
    from webapp.vault.services import Vault
    from webapp.vault.sharing import SharedPart

    sizes = QUICK if os.environ.get("BENCH_SMALL") == "1" else FULL
    repeats = int(os.environ.get("BENCH_REPEATS", "3"))
    instance = Path(tempfile.mkdtemp(prefix="bench-structures-"))
    settings = Settings(instance_dir=instance, database_url=f"sqlite:///{instance / 'app.db'}",
                        secret_key=secrets.token_hex(16), storage={"BLOB_STORE": "local", "BLOB_DIR": str(instance / "blobs")})
    upgrade(settings.database_url)
    app = create_app(settings)
    keys = app.extensions["keys"]

    def wraps_count() -> int:
        return db().scalar(select(func.count()).select_from(EpochWrap))

    def account(role: str) -> Actor:
        made = accounts.create_account(db(), keys, identifier=f"{role}.{secrets.token_hex(4)}", role=role,
                                       password=PASSWORD, person=Person(first_name="Camille", last_name="Martin"))
        db().commit()
        return Actor(made.account.id, made.account.identity_version, made.identity)

    def certified_beneficiary(index: int) -> Actor:
        identity = IdentityKeys.generate()
        person = Account(id=new_id(), identifier=f"personne.{index}", role="beneficiary")
        person.identity_record = keys.certify_identity(person.id, 1, identity.box_public, identity.verify_key,
                                                       publickey.prove_possession(identity, person.id, 1))
        db().add(person)
        db().flush()
        return Actor(person.id, 1, identity)

    def rotation_wraps(structure_id: str) -> int:
        """Wraps made for the Relais' current generation: epoch keys re-wrapped, and the generation's own."""
        generation = db().get(Structure, structure_id).current_generation
        epochs = db().scalar(select(func.count()).select_from(EpochWrap).where(
            EpochWrap.recipient_id == structure_id, EpochWrap.recipient_version == generation))
        members = db().scalar(select(func.count()).select_from(GenerationWrap).where(
            GenerationWrap.structure_id == structure_id, GenerationWrap.generation == generation))
        return epochs + members

    def relais(admin: Actor, name: str) -> tuple[Structure, Actor]:
        application = StructureApplication(
            name=name, kind="association", address="1 rue de la Paix", siret="73282932000074", referent_first_name="Élise",
            referent_last_name=secrets.token_hex(3), referent_position="Directrice", referent_email="e@example.org",
            referent_phone="0123456789", review_version=1, sealer_verify_key=bytes(32))
        db().add(application)
        db().flush()
        structure, manager = Structures(db(), keys, admin).approve(application.id)
        db().commit()
        unlocked = accounts.authenticate(db(), keys, manager.account.identifier, manager.password)
        return structure, Actor(unlocked.account.id, unlocked.account.identity_version, unlocked.identity)

    def timed(action) -> tuple[float, int]:
        before, start = wraps_count(), time.perf_counter()
        made = action()
        db().commit()
        return time.perf_counter() - start, made if made is not None else wraps_count() - before

    results: dict[str, tuple[float, int]] = {}
    with app.app_context():
        ensure_terms()
        admin = account("admin")
        owner = account("beneficiary")
        vault = Vault(db(), keys, owner.id, owner.version, owner.identity)
        for index in range(sizes["items"]):
            vault.create_record_item("note", {"title": f"note {index}"}, shared=True)
        db().commit()
        part = SharedPart.for_owner(db(), keys, Keyring(db(), keys), owner.id, owner.version, owner.identity)

        # Affiliation: one more Relais each time.
        samples = []
        for repeat in range(repeats):
            structure, _manager = relais(admin, f"Relais {repeat}")
            db().add(Affiliation(beneficiary_id=owner.id, structure_id=structure.id, status="active"))
            db().flush()
            samples.append(timed(lambda: part.grant(structure.id)))
        results["affiliation"] = (statistics.median(s[0] for s in samples), samples[0][1])

        # Shared-part rotation: an affiliation ends, the next share makes a new epoch.
        samples = []
        for structure_id in db().scalars(select(Affiliation.structure_id).where(Affiliation.beneficiary_id == owner.id)).all()[:repeats]:
            def end_and_share(structure_id=structure_id) -> int:
                db().get(Affiliation, (owner.id, structure_id)).status = "ended"
                part.revoke(structure_id)
                before = wraps_count()
                vault.create_record_item("note", {"title": "après"}, shared=True)
                return wraps_count() - before + 1  # the new epoch's wraps, and its chain to the previous epoch
            samples.append(timed(end_and_share))
        results["shared_part_rotation"] = (statistics.median(s[0] for s in samples), samples[0][1])

        # Structure rotation: 5,000 affiliated beneficiaries' epoch keys move to generation g+1.
        structure, manager = relais(admin, "Relais du Canal")
        members = [account("professional") for _ in range(repeats)]
        for member in members:
            Structures(db(), keys, manager).add_existing(structure, db().get(Account, member.id).identifier)
            db().commit()
        generation = current_generation_keys(db(), keys, structure, manager)
        sets = AffiliationSets(db(), keys, Keyring(db(), keys))
        for index in range(sizes["beneficiaries"]):
            person = certified_beneficiary(index)
            db().add(Affiliation(beneficiary_id=person.id, structure_id=structure.id, status="active"))
            sets.add(person.id, person.version, person.identity, structure.id)
            epoch = sharedpart.Epoch.first(person.id)
            db().add(EpochWrap(owner_id=person.id, epoch=1, recipient_id=structure.id, recipient_version=generation.number,
                               blob=sharedpart.wrap_epoch(epoch, structure.id, generation.number, generation.keys.public,
                                                          manager.id, manager.identity), signer_id=manager.id))
        db().commit()
        samples = []
        for member in members:
            seconds, _ = timed(lambda member=member: Structures(db(), keys, manager).remove_member(
                db().get(Structure, structure.id), member.id) and None)
            samples.append((seconds, rotation_wraps(structure.id)))
        results["structure_rotation"] = (statistics.median(s[0] for s in samples), samples[0][1])

    print(f"cpu_count={os.cpu_count()}")
    print(f"cpu_model={cpu_model()}")
    print(f"python={platform.python_version()}")
    print(f"pynacl={version('PyNaCl')}")
    print(f"repeats={repeats}")
    print(f"shared_items={sizes['items']}")
    print(f"affiliated_beneficiaries={sizes['beneficiaries']}")
    for name, (seconds, wraps) in results.items():
        print(f"{name}: median_s={seconds:.3f} wraps={wraps}")
    print("targets:")
    for name, (seconds, _wraps) in results.items():
        limit = TARGETS[f"{name}_s"]
        print(f"  {name} under {limit:g} s: {'met' if seconds < limit else 'missed'} ({seconds:.3f})")


if __name__ == "__main__":
    main()
