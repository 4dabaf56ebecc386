"""The brief's malicious professional, on the web app's real database (both backends).

A realistic scene: three Relais, a professional in two of them, a colleague who leaves (rotation),
beneficiaries affiliated to one, two or none of the professional's Relais, one affiliation ended,
private and shared items, an item the professional added. The attacker then holds every binary
column of every table and the keys their own password unlocks, and tries every key on every blob
until nothing new opens (`tests/vaultcore/test_malicious_professional.attack`), on a copy of the
database taken before the colleague left, and on one taken at the end."""
from sqlalchemy import LargeBinary, select

from tests.vaultcore.test_malicious_professional import Store, attack
from vaultcore.encoding import Reader, read_header
from vaultcore.errors import CryptoError
from webapp.database import db
from webapp.db import Base
from webapp.structures.shared_access import SharedAccess
from webapp.vault.models import Item

from .relais import add_member, affiliate, end_affiliation, fresh, make_structure, remove_member, unlock
from .test_sharing import vault_of


def stolen_store(store: Store | None = None) -> Store:
    """Every binary value of the database, sorted into wraps and records by their own header, added
    to what an earlier copy held."""
    store = store or Store()
    for table in Base.metadata.sorted_tables:
        columns = [column for column in table.columns if isinstance(column.type, LargeBinary)]
        for row in db().execute(select(*columns)) if columns else []:
            for blob in row:
                for kind, bucket in ((b"W", store.wraps), (b"R", store.records)):
                    try:
                        read_header(Reader(blob or b""), kind)
                    except (CryptoError, ValueError):
                        continue
                    bucket.append(blob)
    store.metadata.update({row.id: row.meta for row in db().scalars(select(Item))})
    return store


def test_a_professional_opens_exactly_the_shared_parts_of_their_affiliated_beneficiaries(app, make_account):
    with app.app_context():
        north, north_manager = make_structure(app, "Relais Nord")
        south, south_manager = make_structure(app, "Relais Sud")
        east, _ = make_structure(app, "Relais Est")
        pro, leaver = make_account("professional"), make_account("professional")
        add_member(app, north, north_manager, pro)
        add_member(app, north, north_manager, leaver)
        add_member(app, south, south_manager, pro)
        ana, bruno, chloe, david, emma = (make_account() for _ in range(5))
        affiliate(app, ana, north, contributions=True)
        affiliate(app, bruno, south)
        affiliate(app, bruno, east)
        affiliate(app, chloe, east)
        affiliate(app, emma, north)
        expected_pro, expected_leaver, made = set(), set(), {}

        def put(who, name, shared):
            view = vault_of(app, who).create_record_item("note", {"title": f"canari-{name}"}, shared=shared)
            db().commit()
            made[name] = view.id
            return view.id

        for who, name in ((ana, "ana"), (bruno, "bruno"), (chloe, "chloe"), (david, "david"), (emma, "emma")):
            put(who, f"{name}-private", False)
            put(who, f"{name}-shared", True)
        access = SharedAccess(db(), app.extensions["keys"], fresh(north), unlock(app, pro.identifier), ana.id)
        made["ana-added-by-pro"] = access.add_record_item("note", {"title": "canari-ajout"}).id
        db().commit()
        expected_leaver |= {made["ana-shared"], made["ana-added-by-pro"], made["emma-shared"]}

        copied_before_leaving = stolen_store()  # both kept a full copy of the database from before
        remove_member(app, north, north_manager, leaver.id)  # generation 2 of Relais Nord
        put(ana, "ana-after-rotation", True)
        end_affiliation(app, emma, north)
        put(emma, "emma-after-end", True)
        expected_pro |= {made["ana-shared"], made["ana-added-by-pro"], made["ana-after-rotation"], made["bruno-shared"],
                         made["emma-shared"]}

        store = stolen_store(copied_before_leaving)
        pro_keys, leaver_keys = unlock(app, pro.identifier), unlock(app, leaver.identifier)
        names = {item_id: name for name, item_id in made.items()}
        assert {names[i] for i in attack(store, [pro_keys.identity.box])} == {names[i] for i in expected_pro}
        names = {item_id: name for name, item_id in made.items()}
        assert {names[i] for i in attack(store, [leaver_keys.identity.box])} == {names[i] for i in expected_leaver}
        # The beneficiary themself opens all of their own, and nothing else.
        own = {made["chloe-private"], made["chloe-shared"]}
        assert attack(store, [unlock(app, chloe.identifier).identity.box]) == own
