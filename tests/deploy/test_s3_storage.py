"""Files on S3-compatible storage: a real `moto_server` process stands in for the bucket.

An attachment sent through the letter form lands in the bucket (nothing on the local
disk), comes back through the permission-checked download, and is 404 for another
customer; the invoice PDF snapshot is stored in and served from the bucket; objects are
private."""

import json
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.test import override_settings
from django.urls import reverse

from tests import factories
from tests.billing.helpers import pdf_text
from tests.deploy.procs import moto_server, production_env
from tests.letters.files import PDF, form_token, upload

pytest.importorskip("moto", reason="moto is missing: pip install 'moto[server]>=5,<6'")
boto3 = pytest.importorskip("boto3", reason="pip install 'django-storages[s3]'")

pytestmark = pytest.mark.deploy

BUCKET = "ebok-test-files"
CREDENTIALS = {"aws_access_key_id": "test-key", "aws_secret_access_key": "test-secret"}


@pytest.fixture(scope="module")
def s3_endpoint(tmp_path_factory):
    with moto_server(tmp_path_factory.mktemp("moto")) as (endpoint, _proc):
        yield endpoint


@pytest.fixture
def bucket(s3_endpoint, tmp_path):
    """The settings EBOK_S3_BUCKET=... would produce (ebok/settings.py), against moto."""
    s3 = boto3.client("s3", endpoint_url=s3_endpoint, region_name="eu-central-1", **CREDENTIALS)
    s3.create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"}
    )
    storages = {
        **django_settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "access_key": CREDENTIALS["aws_access_key_id"],
                "secret_key": CREDENTIALS["aws_secret_access_key"],
                "region_name": "eu-central-1",
                "addressing_style": "path",
                "signature_version": "s3v4",
                "default_acl": "private",
                "querystring_auth": True,
                "querystring_expire": 60,
                "file_overwrite": False,
            },
        },
    }
    with override_settings(STORAGES=storages, MEDIA_ROOT=tmp_path / "media"):
        yield s3
    for obj in s3.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        s3.delete_object(Bucket=BUCKET, Key=obj["Key"])
    s3.delete_bucket(Bucket=BUCKET)


def keys(s3) -> set[str]:
    return {obj["Key"] for obj in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def test_the_settings_choose_s3_only_when_a_bucket_is_named(tmp_path):
    # The test process runs without EBOK_S3_BUCKET: local disk.
    assert django_settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage")
    env = production_env(
        tmp_path,
        EBOK_S3_BUCKET="ebok-files",
        EBOK_S3_ENDPOINT_URL="http://minio.internal:9000",
        EBOK_S3_ACCESS_KEY_ID="AKIDEXAMPLE",
        EBOK_S3_SECRET_ACCESS_KEY="secret",
        EBOK_S3_REGION="eu-central-1",
    )
    printed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json; from django.conf import settings; "
            "print(json.dumps(settings.STORAGES['default']))",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    storage = json.loads(printed)
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "ebok-files"
    assert storage["OPTIONS"]["endpoint_url"] == "http://minio.internal:9000"
    assert storage["OPTIONS"]["access_key"] == "AKIDEXAMPLE"
    assert storage["OPTIONS"]["region_name"] == "eu-central-1"
    assert storage["OPTIONS"]["addressing_style"] == "path"
    assert storage["OPTIONS"]["default_acl"] == "private"


@pytest.mark.django_db
def test_an_attachment_goes_to_the_bucket_and_comes_back_only_to_its_owner(
    bucket, customer_client, customer, other_customer, client, tmp_path
):
    new = reverse("portal:letter_new")
    response = customer_client.post(
        new,
        {
            "form_token": form_token(customer_client, new),
            "kind": "incoming",
            "description": "Skan protokołu",
            "body": "W załączeniu protokół.",
            "attachments": [upload("protokół.pdf")],
        },
    )
    assert response.status_code == 302
    attachment = customer.letters.get().attachments.get()
    assert attachment.file.name in keys(bucket)
    assert not (tmp_path / "media").exists()  # nothing on this node's disk
    stored = bucket.get_object(Bucket=BUCKET, Key=attachment.file.name)["Body"].read()
    assert stored == PDF

    url = reverse("portal:letter_attachment", args=[attachment.pk])
    download = customer_client.get(url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content) == PDF
    # No redirect to the bucket: the bytes come through the checked view.
    assert "Location" not in download

    outsider = factories.make_user(customers=[other_customer], username="obcy")
    client.force_login(outsider)
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_objects_in_the_bucket_are_private(bucket, customer):
    from ebok.core import uploads

    stored = uploads.store_content(PDF, "x.pdf", "application/pdf")
    grants = bucket.get_object_acl(Bucket=BUCKET, Key=stored.path)["Grants"]
    assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]
    assert all("AllUsers" not in g["Grantee"].get("URI", "") for g in grants)


@pytest.mark.django_db
def test_the_invoice_pdf_snapshot_is_stored_in_and_served_from_the_bucket(
    bucket, customer_client, customer
):
    invoice = factories.make_invoice(customer, number="FV/2026/11/00042")
    first = customer_client.get(f"/faktury/{invoice.pk}/pdf/")
    assert first.status_code == 200
    assert "FV/2026/11/00042" in pdf_text(first.content)
    invoice.refresh_from_db()
    assert invoice.pdf.name in keys(bucket)
    # Later downloads read the stored snapshot from the bucket: change it there and the
    # portal serves the changed bytes.
    bucket.put_object(Bucket=BUCKET, Key=invoice.pdf.name, Body=b"%PDF-1.4 from the bucket")
    assert customer_client.get(f"/faktury/{invoice.pk}/pdf/").content == (
        b"%PDF-1.4 from the bucket"
    )


@pytest.mark.django_db
def test_health_reports_the_bucket(bucket, client):
    body = client.get("/zdrowie/").json()
    assert body["storage"] == "ok"
    with override_settings(
        STORAGES={
            **django_settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": "no-such-bucket",
                    "endpoint_url": "http://127.0.0.1:9",  # nothing listens there
                    "access_key": "x",
                    "secret_key": "y",
                    "region_name": "eu-central-1",
                },
            },
        }
    ):
        response = client.get("/zdrowie/")
    assert response.status_code == 503
    assert response.json()["storage"].startswith("error")
