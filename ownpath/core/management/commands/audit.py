"""``manage.py audit seal`` and ``manage.py audit verify``: the audit log's hash chain (docs/audit.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

from ownpath.core.services import audit


class Command(BaseCommand):
    help = "Seal new audit events into the hash chain, or verify the whole chain (exit status 1 when broken)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        seal = actions.add_parser("seal", help="Seal the committed audit events not sealed yet.")
        verify = actions.add_parser("verify", help="Seal what is new, then walk the chain from its start.")
        verify.add_argument("--no-seal", action="store_true", help="Verify only; write nothing.")
        verify.add_argument(
            "--from", dest="start", type=int, default=1, metavar="POSITION",
            help="Start at this seal (after older months were archived); it links to the stored seal before it.",
        )  # fmt: skip
        verify.add_argument(
            "--head", metavar="POSITION:HASH", help="Also check that the chain still holds a head recorded earlier."
        )
        for sub in (seal, verify):
            sub.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args: Any, **options: Any) -> None:
        using = options["database"]
        if options["action"] == "seal" or not options["no_seal"]:
            self.stdout.write(f"Sealed {audit.seal(using=using)} new audit event(s).")
        if options["action"] == "seal":
            return
        if warning := self._ownership_warning(using):
            self.stderr.write(f"Warning: {warning}")
        report = audit.verify(using=using, start=options["start"])
        self.stdout.write(
            f"Checked {report.checked} seal(s) from position {options['start']}; "
            f"head: position {report.head_position}, hash {report.head_hash}"
        )
        problems = []
        if report.broken_position is not None:
            problems.append(
                f"the chain breaks at seal {report.broken_position} (audit event {report.broken_event_id}): "
                f"{report.reason}"
            )
        if report.unsealed_old:
            ids = ", ".join(str(i) for i in report.unsealed_old)
            problems.append(f"audit events older than an hour are not in the chain (first ids: {ids})")
        if options["head"]:
            problems += self._check_head(options["head"], report, using)
        if report.unsealed_recent:
            self.stdout.write(f"{report.unsealed_recent} recent audit event(s) are not sealed yet.")
        if problems:
            raise CommandError("The audit log does not verify: " + "; ".join(problems))
        self.stdout.write(self.style.SUCCESS("The audit log's chain is intact."))

    def _ownership_warning(self, using: str) -> str:
        connection = connections[using]
        if connection.vendor != "postgresql":
            return ""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_user, pg_has_role(current_user, relowner, 'USAGE') FROM pg_class "
                "WHERE oid = 'core_auditevent'::regclass"
            )
            role, owns = cursor.fetchone()
        if not owns:
            return ""
        return (
            f"this role ({role}) owns the audit log and could rewrite it; run the application as another role "
            "(OWNPATH_OWNER_DATABASE_URL, docs/audit.md)"
        )

    def _check_head(self, head: str, report: audit.ChainReport, using: str) -> list[str]:
        position_text, _, expected = head.partition(":")
        if not position_text.isdigit() or len(expected) != 64:
            raise CommandError("--head takes POSITION:HASH, as printed by an earlier verify")
        position = int(position_text)
        if position > report.head_position:
            return [f"the recorded head {position} is beyond the intact chain (up to {report.head_position})"]
        from ownpath.core.models import AuditSeal

        found = AuditSeal.objects.using(using).filter(position=position).values_list("hash", flat=True).first()
        return [] if found == expected else [f"seal {position} no longer has the recorded hash"]
