"""App dependencies run one way (docs/architecture.md, "Apps"): each app imports only the
apps listed for it, so there is no cycle. A new import across apps fails here until the
table (and the map in docs/architecture.md) says it may."""

import ast
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
APPS = {
    "brunswick.accounts": "brunswick/accounts",
    "brunswick.audit": "brunswick/audit",
    "brunswick.outbox": "brunswick/outbox",
    "brunswick.access": "brunswick/access",
    "brunswick.school": "brunswick/school",
    "reports": "reports",
    "cases": "cases",
    "letters": "letters",
    "brunswick.retention": "brunswick/retention",
    "brunswick.subject_access": "brunswick/subject_access",
    "insight": "insight",
}
# Who may import whom. The same table is in docs/architecture.md.
ACCOUNTS, AUDIT, OUTBOX, SCHOOL = (
    "brunswick.accounts", "brunswick.audit", "brunswick.outbox", "brunswick.school",
)  # fmt: skip
CORE = {ACCOUNTS, AUDIT, OUTBOX, SCHOOL}
ALLOWED = {
    ACCOUNTS: set(),
    AUDIT: {ACCOUNTS},
    OUTBOX: {ACCOUNTS, AUDIT},
    SCHOOL: {AUDIT},
    "brunswick.access": CORE,
    "reports": CORE,
    "cases": CORE | {"reports"},
    "letters": CORE | {"reports", "cases"},
    "brunswick.retention": CORE | {"reports", "cases", "letters"},
    "brunswick.subject_access": CORE | {"reports", "cases", "letters", "brunswick.retention"},
    "insight": CORE | {"reports", "cases", "letters"},
}
# seed_demo makes demo data across every app: a command, not part of the school app's code.
OUTSIDE_THE_MAP = {"brunswick/school/management/commands/seed_demo.py"}


def _app_of(module: str) -> str | None:
    return next(
        (
            app
            for app in sorted(APPS, key=len, reverse=True)
            if module == app or module.startswith(app + ".")
        ),
        None,
    )


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_the_table_has_no_cycle():
    def reaches(start: str, seen: set[str]) -> set[str]:
        for app in ALLOWED[start] - seen:
            seen |= {app} | reaches(app, seen | {app})
        return seen

    cycles = [app for app in ALLOWED if app in reaches(app, set())]
    assert not cycles, f"apps that depend on themselves through others: {cycles}"


def test_each_app_imports_only_what_the_table_allows():
    wrong = []
    for app, folder in APPS.items():
        for path in (BASE / folder).rglob("*.py"):
            relative = path.relative_to(BASE).as_posix()
            if "/migrations/" in relative or relative in OUTSIDE_THE_MAP:
                continue
            for module in _imports(path):
                other = _app_of(module)
                if other and other != app and other not in ALLOWED[app]:
                    wrong.append(f"{relative} imports {module}")
    assert not wrong, "imports against the app map:\n" + "\n".join(sorted(wrong))
