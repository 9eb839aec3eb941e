"""Accounts stands on core alone: the floors above (digests, guides, board, forums, teams)
react to its changes (signals, callers) instead of being imported by it."""

import ast
from pathlib import Path

import portal.accounts

ABOVE = ("portal.digests", "portal.guides", "portal.board", "portal.forums", "portal.teams")


def test_accounts_imports_nothing_from_the_floors_above():
    root = Path(portal.accounts.__file__).parent
    upward = []
    for module in root.rglob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            upward += [f"{module.relative_to(root)}: {n}" for n in names if n.startswith(ABOVE)]
    assert upward == []
