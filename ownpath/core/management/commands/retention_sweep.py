from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = (
        "Report what the retention policies would delete now (stored as a report), or, with --apply ID, "
        "delete what that report listed and is still due."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--apply", type=int, metavar="REPORT_ID", help="Apply a report made earlier.")

    def handle(self, *args: Any, **options: Any) -> None:
        from ownpath.core.models import RetentionReport
        from ownpath.core.services.gdpr import apply_retention_report, build_retention_report

        if options["apply"] is None:
            report = build_retention_report()
            self.stdout.write(f"Retention report {report.pk} (nothing deleted yet):")
            for key, finding in report.findings.items():
                self.stdout.write(
                    f"  {key}: {len(finding['ids'])} due ({finding['label']}, older than {finding['days']} days)"
                )
            self.stdout.write(f"Review it, then apply with: manage.py retention_sweep --apply {report.pk}")
            return
        found = RetentionReport.objects.filter(pk=options["apply"]).first()
        if found is None:
            raise CommandError(f"There is no retention report {options['apply']}.")
        try:
            deleted = apply_retention_report(found)
        except ValueError as error:
            raise CommandError(str(error)) from error
        for key, count in deleted.items():
            self.stdout.write(f"  {key}: {count} removed")
