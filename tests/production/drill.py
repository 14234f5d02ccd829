"""The restore drill of docs/deploy.md ("Backups" and "Restoring"), executed.

    make drill            boots the topology, makes a term's worth of small data, runs it

It takes the backup exactly as the document says (audit head first, then the database
dump, the private files and the erasure ledger) while parents are still sending reports,
destroys the originals, restores into a fresh PostgreSQL cluster and an empty file store,
re-applies the recorded erasures and checks: the audit chain against the exported head,
check_storage, every screenshot's SHA-256, the erased people still erased, and the portal
serving through the proxy. It prints how long each step took. The commands are the
document's, with `docker compose exec db`/`web` replaced by the same programs run here
(topology.py says where this run differs from the containers).
"""

import shutil
import signal
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.production import topology

HEAD_TEACHER = "drill-head"

# Run inside `manage.py shell` as the portal's own role: the Head Teacher erases a parent.
ERASE = """
from brunswick.accounts.models import User
from brunswick.subject_access.erasure import erasure_apply
from cases.services import person_add
head = User.objects.get(username={head!r})
person = person_add(acting_user=head, full_name={name!r}, email={email!r},
                    postal_address="1 Drill Lane, London SE5")
erasure_apply(person=person, reason="Asked for erasure (drill)", acting_user=head)
print(person.id)
"""

# Every screenshot's files, read back and hashed, against the hashes stored at upload.
SCREENSHOTS = """
import hashlib
from reports.models import Screenshot
bad, count = [], 0
for shot in Screenshot.objects.filter(report__isnull=False):
    for field in ("original", "working"):
        with getattr(shot, field).open("rb") as handle:
            digest = hashlib.sha256(handle.read()).hexdigest()
        if digest != getattr(shot, field + "_sha256"):
            bad.append((shot.id, field))
    count += 1
print(count, len(bad))
"""


@dataclass
class Drill:
    portal: topology.Topology
    backup: Path
    say: object = print
    steps: list[tuple[str, float]] = field(default_factory=list)
    erased: dict[str, int] = field(default_factory=dict)

    def step(self, name: str, action):
        started = time.monotonic()
        result = action()
        seconds = time.monotonic() - started
        self.steps.append((name, seconds))
        self.say(f"  {seconds:6.2f} s  {name}")
        return result

    # --- The data a real server would have ------------------------------------------------

    def erase(self, name: str) -> int:
        code = ERASE.format(head=HEAD_TEACHER, name=name, email=f"{name.split()[-1]}@example.org")
        person_id = int(self.portal.manage("shell", "-c", code).stdout.split()[-1])
        self.erased[name] = person_id
        return person_id

    # --- Backups (docs/deploy.md, "Backups") ------------------------------------------------

    def take_backup(self) -> None:
        self.backup.mkdir(parents=True, exist_ok=True)
        portal = self.portal
        # 1. The audit head first: the dump then holds that event, so the two match.
        head = self.step("backup: audit_head", lambda: portal.manage("audit_head").stdout)
        (self.backup / "audit-head.txt").write_text(head)
        # 1. The database, as `docker compose exec -T db pg_dump -U postgres -Fc portal`.
        self.step("backup: pg_dump -Fc", lambda: self._pg_dump(self.backup / "portal.dump"))
        # 2. The private files, as the `docker run ... tar` of the private-media volume.
        self.step("backup: private files (tar)",
                  lambda: _tar(portal.private, self.backup / "private.tar.gz"))  # fmt: skip

    def take_ledger_backup(self) -> None:
        # 3. The erasure ledger, separately (and often): the newest copy is the one restored.
        self.step("backup: erasure ledger (tar)",
                  lambda: _tar(self.portal.state, self.backup / "state.tar.gz"))  # fmt: skip

    def _pg_dump(self, target: Path) -> None:
        postgres = self.portal.postgres
        with target.open("wb") as out:
            subprocess.run(
                ["pg_dump", "-U", "postgres", "-Fc", "portal"], env=postgres.local_env(),
                stdout=out, check=True,
            )  # fmt: skip

    # --- Disaster ------------------------------------------------------------------------------

    def destroy_originals(self) -> None:
        portal = self.portal
        for name in ("web", "beat", "worker"):
            portal.stop_process(name)
        portal.postgres.remove()  # The whole cluster, data and all.
        for folder in (portal.private, portal.state):
            shutil.rmtree(folder)
            folder.mkdir(mode=0o700)

    # --- Restoring (docs/deploy.md, "Restoring") ----------------------------------------------

    def restore(self) -> None:
        portal = self.portal
        # 2. A new, empty database server with the roles (db-init, as a new volume gets).
        self.step("restore: new cluster and roles (db-init)", self._new_cluster)
        # 3. `pg_restore -U portal_owner -d portal --clean --if-exists --no-owner`.
        self.step("restore: pg_restore", self._pg_restore)
        # 4. and 5. The private files, then the newest erasure ledger.
        backup = self.backup
        self.step("restore: files", lambda: _untar(backup / "private.tar.gz", portal.private))
        self.step("restore: erasure ledger", lambda: _untar(backup / "state.tar.gz", portal.state))
        # 6. `docker compose up -d`: migrate (as the owner, re-granting), then the portal.
        self.step("restore: migrate", portal.migrate)
        self.step("restore: start web, worker and beat", self._start_portal)
        # 7. `reapply_erasures`.
        self.step("restore: reapply_erasures", lambda: portal.manage("reapply_erasures"))

    def _start_portal(self) -> None:
        self.portal.start_web()
        self.portal.start_worker()
        self.portal.start_beat()

    def _new_cluster(self) -> None:
        portal = self.portal
        portal.postgres = topology.Postgres(
            portal.directory / "postgres-restored", portal.ports.postgres,
            portal.secret["POSTGRES_PASSWORD"],
        )  # fmt: skip
        portal.postgres.initdb()
        portal.postgres.start()
        portal.postgres.run_init_scripts(portal.db_env())

    def _pg_restore(self) -> None:
        with (self.backup / "portal.dump").open("rb") as dump:
            subprocess.run(
                ["pg_restore", "-U", "portal_owner", "-d", "portal", "--clean", "--if-exists",
                 "--no-owner"],
                env=self.portal.postgres.local_env(), stdin=dump, check=True,
                capture_output=True,
            )  # fmt: skip

    # --- Checks ---------------------------------------------------------------------------------

    def check(self) -> dict:
        portal, found = self.portal, {}
        # 8. `verify_audit --head-file audit-head-DATE.txt`.
        found["audit"] = self.step(
            "check: verify_audit --head-file",
            lambda: portal.manage("verify_audit", "--head-file",
                                  str(self.backup / "audit-head.txt")).stdout.strip(),
        )  # fmt: skip
        # 9. `check_storage`: no row may point at a missing file. Files sent after the dump
        # have no row (their reports were lost with the rest of that period): listed, then
        # deleted as the document says, after which the check is clean.
        first = self.step("check: check_storage",
                          lambda: portal.manage("check_storage", "--grace-minutes", "0",
                                                check=False).stdout)  # fmt: skip
        found["missing"] = first.count("Row pointing at a missing file")
        found["orphans"] = first.count("File with no row")
        if found["orphans"] and not found["missing"]:
            self.step("check: check_storage --delete-orphan-files",
                      lambda: portal.manage("check_storage", "--grace-minutes", "0",
                                            "--delete-orphan-files"))  # fmt: skip
        found["storage"] = portal.manage("check_storage", "--grace-minutes", "0",
                                         check=False).stdout.strip().splitlines()[-1]  # fmt: skip
        counts = self.step(
            "check: every screenshot's SHA-256",
            lambda: portal.manage("shell", "-c", SCREENSHOTS).stdout.split(),
        )
        found["screenshots"], found["screenshots_bad"] = int(counts[-2]), int(counts[-1])
        found["erased_found"] = self.step("check: the erased are still erased", self._erased_found)
        found["serving"] = self.step("check: the portal serves through the proxy", self._serving)
        return found

    def _erased_found(self) -> list[str]:
        """Names of erased people anywhere in the restored database (should be none)."""
        text = subprocess.run(
            ["pg_dump", "-U", "postgres", "--data-only", "portal"],
            env=self.portal.postgres.local_env(), check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
        return [name for name in self.erased if name in text]

    def _serving(self) -> tuple[int, int]:
        import httpx

        with httpx.Client(verify=self.portal.tls(), base_url=self.portal.base_url) as client:
            return client.get("/report/").status_code, client.get("/healthz").status_code


def _tar(folder: Path, target: Path) -> None:
    with tarfile.open(target, "w:gz") as archive:
        archive.add(folder, arcname=folder.name)


def _untar(archive_path: Path, folder: Path) -> None:
    with tarfile.open(archive_path) as archive:
        archive.extractall(folder.parent, filter="fully_trusted")  # Our own backup.
    folder.chmod(0o700)


def run(portal: topology.Topology, backup: Path, say=print, parents_sending=None) -> dict:
    """The whole drill on a running topology with data. `parents_sending` is a context
    manager that keeps reports coming while the backup is taken."""
    import contextlib

    from tests.production.conftest import enrol

    drill = Drill(portal, backup, say)
    enrol(portal, HEAD_TEACHER, "head_teacher")
    drill.erase("Drill Parent Before")  # Erased before the backup: in the dump as erased.
    say("backup, while parents are sending reports:")
    with parents_sending or contextlib.nullcontext():
        drill.take_backup()
    drill.erase("Drill Parent After")  # Erased after the dump: only the ledger knows.
    drill.take_ledger_backup()
    say("disaster:")
    drill.step("destroy the database cluster, the private files and the ledger",
               drill.destroy_originals)  # fmt: skip
    say("restore:")
    drill.restore()
    say("checks:")
    found = drill.check()
    found["steps"] = drill.steps
    found["erased"] = drill.erased
    say(f"total {sum(seconds for _, seconds in drill.steps):.1f} s")
    return found


def main() -> int:
    """`make drill`: a topology of its own, some reports with screenshots, the drill."""
    from tests.production.conftest import Load, groups_make, report_send, visitor

    def stop(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    steps: list = []
    print("starting the production topology (tests/production/topology.py):")
    portal = topology.start(steps)
    try:
        for name, seconds in steps:
            print(f"  {seconds:6.2f} s  {name}")
        groups_make(portal)
        for _ in range(10):
            with visitor(portal) as client:
                assert report_send(client, screenshots=2).status_code == 302
        found = run(portal, portal.directory / "backup", parents_sending=Load(portal, threads=1))
        problems = [
            *([] if found["audit"].startswith("audit chain intact") else [found["audit"]]),
            *(["rows point at missing files"] if found["missing"] else []),
            *([] if found["storage"] == "No problems found." else [found["storage"]]),
            *(["screenshots do not match their hashes"] if found["screenshots_bad"] else []),
            *[f"{name} is back after the restore" for name in found["erased_found"]],
            *([] if found["serving"] == (200, 200) else [f"portal answered {found['serving']}"]),
        ]
        print(found["audit"])
        print(f"{found['screenshots']} screenshots match their SHA-256; {found['orphans']} "
              f"files sent after the dump removed; {found['storage']}")  # fmt: skip
        for problem in problems:
            print(f"FAILED: {problem}")
        print("drill passed" if not problems else "drill FAILED")
        return 1 if problems else 0
    finally:
        portal.remove()


if __name__ == "__main__":
    sys.exit(main())
