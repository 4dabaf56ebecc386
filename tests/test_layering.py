"""Imports flow one way: vaultcore <- keyservice <- webapp <- jobs; vaultcore does no web, database or network."""
import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "vaultcore": {"flask", "sqlalchemy", "boto3", "botocore", "rq", "redis", "requests", "socket", "http",
                  "urllib", "psycopg", "keyservice", "webapp", "jobs", "pickle", "logging"},
    "keyservice": {"webapp", "jobs"},
    "webapp": {"jobs"},
}


def imported_roots(path: pathlib.Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_imports_flow_one_way(package):
    folder = ROOT / package
    if not folder.exists():
        pytest.skip(f"{package}/ does not exist yet")
    for path in folder.rglob("*.py"):
        bad = imported_roots(path) & FORBIDDEN[package]
        assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"
