"""Uploaded files in object storage (the S3 API, here moto's server on this machine): written through
django-storages, read back through the app, never through a web server's disk."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from moto.server import ThreadedMotoServer

from tests.conftest import World, signed_in


def _free_port() -> int:
    """A port the OS hands out, so that parallel test processes never collide."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


PORT = _free_port()
S3 = {
    "BACKEND": "storages.backends.s3.S3Storage",
    "OPTIONS": {
        "bucket_name": "ownpath-media", "endpoint_url": f"http://127.0.0.1:{PORT}", "region_name": "eu-central-1",
        "access_key": "test", "secret_key": "test", "location": "media", "default_acl": None, "file_overwrite": False,
    },
}  # fmt: skip


@pytest.fixture(scope="module")
def s3_server() -> Iterator[Any]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=PORT, verbose=False)
    server.start()
    client = boto3.client(
        "s3", endpoint_url=f"http://127.0.0.1:{PORT}", region_name="eu-central-1",
        aws_access_key_id="test", aws_secret_access_key="test",
    )  # fmt: skip
    client.create_bucket(Bucket="ownpath-media", CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})
    yield client
    server.stop()


def test_a_training_material_is_stored_in_the_bucket_and_downloaded_through_the_app(
    s3_server: Any, settings: Any, world: World
) -> None:
    from ownpath.modules.training import services
    from ownpath.modules.training.models import Lesson, Material

    settings.STORAGES = {**settings.STORAGES, "default": S3}
    storages._storages.pop("default", None)
    try:
        services.ensure_seed_curricula()
        pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
        material = Material.objects.create(
            lesson=Lesson.objects.first(), kind="file", title="Umowa", file=ContentFile(pdf, name="umowa.pdf")
        )
        key = f"media/{material.file.name}"
        assert s3_server.get_object(Bucket="ownpath-media", Key=key)["Body"].read() == pdf  # in the bucket
        response = signed_in(world.users["trainer"]).get(f"/training/materials/{material.pk}/file")
        assert response.status_code == 200 and b"".join(response.streaming_content) == pdf
        assert signed_in(world.users["counsellor"]).get(f"/training/materials/{material.pk}/file").status_code in (
            200,
            403,
        )
        from django.test import Client

        assert Client().get(f"/training/materials/{material.pk}/file").status_code == 302  # sign in first
    finally:
        storages._storages.pop("default", None)
