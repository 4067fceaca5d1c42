"""``manage.py esco load DIR [--version V]``: load official ESCO CSV files of any language and version.
``manage.py esco embed``: compute the multilingual vectors used as the last fallback when mapping free text.
``manage.py esco stats``: what is loaded."""

from __future__ import annotations

from typing import Any

import numpy as np
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count

from ownpath.core.esco import loader, search
from ownpath.core.esco.models import ConceptKind, EscoConcept, EscoLabel, EscoRelation, EscoRelease, LabelKind


class Command(BaseCommand):
    help = "Load and inspect ESCO, the European classification of skills and occupations."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="load a directory of official ESCO CSV files")
        load.add_argument("directory")
        load.add_argument("--version", dest="esco_version", default=None, help="e.g. 1.2.1 (default: from the name)")
        embed = sub.add_parser("embed", help="compute label vectors for the embedding fallback")
        embed.add_argument("--batch", type=int, default=256)
        embed.add_argument("--all", action="store_true", help="recompute vectors that already exist")
        sub.add_parser("stats", help="what is loaded")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "load":
            try:
                report = loader.load(options["directory"], version=options["esco_version"])
            except loader.EscoLoadError as exc:
                raise CommandError(f"nothing was loaded: {exc}") from exc
            for line in report.lines():
                self.stdout.write(line)
        elif action == "embed":
            self._embed(options["batch"], options["all"])
        else:
            for kind, count in EscoConcept.objects.values_list("kind").annotate(n=Count("id")).order_by("kind"):
                self.stdout.write(f"{kind}: {count}")
            for lang, count in EscoLabel.objects.values_list("language").annotate(n=Count("id")).order_by("language"):
                self.stdout.write(f"labels {lang}: {count}")
            self.stdout.write(f"relations: {EscoRelation.objects.count()}")
            self.stdout.write(f"with vectors: {EscoConcept.objects.filter(embedding__isnull=False).count()}")
            for release in EscoRelease.objects.all()[:10]:
                self.stdout.write(f"loaded {release.loaded_at:%Y-%m-%d %H:%M} v{release.version} {release.languages}")

    def _embed(self, batch: int, redo: bool) -> None:
        concepts = EscoConcept.objects.filter(kind__in=[ConceptKind.SKILL, ConceptKind.OCCUPATION])
        if not redo:
            concepts = concepts.filter(embedding__isnull=True)
        ids = list(concepts.values_list("pk", flat=True))
        labels = dict(
            EscoLabel.objects.filter(
                concept_id__in=ids, language=search.FALLBACK_LANGUAGE, kind=LabelKind.PREFERRED
            ).values_list("concept_id", "text")
        )
        todo = [pk for pk in ids if pk in labels]
        for start in range(0, len(todo), batch):
            chunk = todo[start : start + batch]
            vectors = search.embed_texts([labels[pk] for pk in chunk]).astype(np.float16)
            EscoConcept.objects.bulk_update(
                [EscoConcept(pk=pk, embedding=vec.tobytes()) for pk, vec in zip(chunk, vectors, strict=True)],
                ["embedding"],
            )
            self.stdout.write(f"{min(start + batch, len(todo))}/{len(todo)}")
        EscoRelease.objects.create(
            version="vectors", languages=[search.FALLBACK_LANGUAGE], directory="", counts={"vectors": len(todo)}
        )
