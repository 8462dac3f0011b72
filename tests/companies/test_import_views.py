from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.urls import reverse

from companies.models import Compound, Firm
from portal.imports import ImportUploadForm
from portal.models import ImportJob

from ..factories import make_credit_code

pytestmark = pytest.mark.django_db

FIRM_URL = reverse("companies:firm_import")
COMPOUND_URL = reverse("companies:compound_import")
CODE_1, CODE_2 = make_credit_code(800001), make_credit_code(800002)
GOOD_FIRMS = f"统一社会信用代码,企业名称\n{CODE_1},东方物业\n{CODE_2},西山物业\n".encode("gb18030")
BAD_FIRMS = f"credit_code,name\n{CODE_1},东方物业\n{CODE_1[:-1]}Z,坏代码\n{CODE_2},\n".encode()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(media_root) -> list:
    directory = media_root / "imports"
    return list(directory.iterdir()) if directory.exists() else []


def upload(client, url: str, content: bytes, name: str = "firms.csv"):
    return client.post(url, {"action": "upload", "file": SimpleUploadedFile(name, content)})


def test_anonymous_users_are_sent_to_sign_in(client):
    response = client.get(FIRM_URL)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize("url", [FIRM_URL, COMPOUND_URL])
def test_a_street_officer_is_refused(client_of, street_officer, url, media_root):
    client = client_of(street_officer)
    assert client.get(url).status_code == 403
    assert upload(client, url, GOOD_FIRMS).status_code == 403
    assert client.post(url, {"action": "confirm"}).status_code == 403
    assert stored_files(media_root) == []
    assert Firm.objects.count() == 0


def test_a_firm_user_is_refused(client_of, firm_user):
    assert client_of(firm_user).get(FIRM_URL).status_code == 403


@pytest.mark.parametrize("url", [FIRM_URL, COMPOUND_URL])
def test_bureau_staff_see_the_upload_form(client_of, bureau_user, url):
    response = client_of(bureau_user).get(url)
    assert response.status_code == 200
    assert isinstance(response.context["form"], ImportUploadForm)


def test_upload_preview_confirm_writes_with_the_user_in_history(client_of, bureau_user, media_root):
    client = client_of(bureau_user)
    response = upload(client, FIRM_URL, GOOD_FIRMS)
    assert response.status_code == 302
    assert response["Location"] == f"{FIRM_URL}?step=preview"
    # A small file is read at once into the stored plan, and deleted.
    assert stored_files(media_root) == [] and ImportJob.objects.count() == 1

    response = client.get(response["Location"])
    assert response.status_code == 200
    result = response.context["result"]
    assert result.ok and result.created == 2
    assert Firm.objects.count() == 0  # the preview writes nothing

    token = client.session["import:firms"]["token"]
    response = client.post(FIRM_URL, {"action": "confirm", "token": token})
    assert response.status_code == 302 and response["Location"] == FIRM_URL
    assert Firm.objects.count() == 2
    assert Firm.objects.get(credit_code=CODE_1).history.get().history_user == bureau_user
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["success"]
    assert stored_files(media_root) == [] and not ImportJob.objects.exists()
    assert "import:firms" not in client.session


def test_a_bad_file_previews_every_error_and_confirm_writes_nothing(client_of, bureau_user):
    client = client_of(bureau_user)
    upload(client, FIRM_URL, BAD_FIRMS)
    response = client.get(f"{FIRM_URL}?step=preview")
    assert response.status_code == 200
    errors = response.context["result"].errors
    assert {(error.row, error.column) for error in errors} == {(3, "credit_code"), (4, "name")}
    assert 'value="confirm"' not in response.content.decode()

    token = client.session["import:firms"]["token"]
    response = client.post(FIRM_URL, {"action": "confirm", "token": token})
    assert response.status_code == 200
    assert len(response.context["result"].errors) == 2
    assert Firm.objects.count() == 0


def test_compound_import_from_the_browser(client_of, bureau_user):
    content = (
        "code,name,district,street,community,households,floor_area\n"
        "XQ001,东苑,昌邑区,延安街道,东山社区,320,25800.5\n"
    ).encode("utf-8-sig")
    client = client_of(bureau_user)
    upload(client, COMPOUND_URL, content, name="compounds.csv")
    assert client.get(f"{COMPOUND_URL}?step=preview").context["result"].created == 1
    token = client.session["import:compounds"]["token"]
    assert client.post(COMPOUND_URL, {"action": "confirm", "token": token}).status_code == 302
    assert Compound.objects.get().history.get().history_user == bureau_user


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("firms.xlsx", b"this is not a workbook"),
        ("firms.csv", b"credit_code,name\n\x80\xff\xfe,x\n"),
        ("firms.csv", b"wrong,columns\n1,2\n"),
        ("firms.csv", b""),
    ],
)
def test_unreadable_files_get_a_preview_with_the_reason_not_a_500(
    client_of, bureau_user, name, content
):
    client = client_of(bureau_user)
    response = upload(client, FIRM_URL, content, name=name)
    if response.status_code == 200:  # refused by the upload form (an empty file)
        assert response.context["form"].errors
        return
    response = client.get(f"{FIRM_URL}?step=preview")
    assert response.status_code == 200
    assert response.context["result"].errors


def test_a_file_over_the_limit_is_refused_by_the_form(client_of, bureau_user, settings, media_root):
    settings.IMPORT_MAX_BYTES = 50
    response = upload(client_of(bureau_user), FIRM_URL, GOOD_FIRMS + b" " * 100)
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert stored_files(media_root) == []


def test_an_80_mb_upload_is_refused_by_its_size_without_reading_it(tmp_path):
    path = tmp_path / "huge.xlsx"
    with path.open("wb") as sparse:
        sparse.truncate(80 * 1024 * 1024)
    with path.open("rb") as stream:
        big = UploadedFile(stream, name="huge.xlsx", size=80 * 1024 * 1024)
        form = ImportUploadForm(data={}, files={"file": big})
        assert not form.is_valid()
        assert stream.tell() == 0  # nothing was read
    assert "file" in form.errors


def test_other_file_types_are_refused_by_the_form(client_of, bureau_user):
    response = upload(client_of(bureau_user), FIRM_URL, b"x", name="firms.xls")
    assert response.status_code == 200 and response.context["form"].errors


def test_confirm_with_a_stale_token_writes_nothing(client_of, bureau_user):
    client = client_of(bureau_user)
    upload(client, FIRM_URL, GOOD_FIRMS)
    response = client.post(FIRM_URL, {"action": "confirm", "token": "0" * 32})
    assert response.status_code == 302
    assert Firm.objects.count() == 0


def test_a_tampered_session_path_is_never_opened(client_of, bureau_user):
    client = client_of(bureau_user)
    session = client.session
    session["import:firms"] = {"token": "../../etc/passwd", "ext": "csv", "name": "x"}
    session.save()
    response = client.get(f"{FIRM_URL}?step=preview")
    assert response.status_code == 302 and response["Location"] == FIRM_URL
    response = client.post(FIRM_URL, {"action": "confirm", "token": "../../etc/passwd"})
    assert response.status_code == 302
    assert Firm.objects.count() == 0


def test_preview_without_an_upload_goes_back_to_the_form(client_of, bureau_user):
    response = client_of(bureau_user).get(f"{FIRM_URL}?step=preview")
    assert response.status_code == 302 and response["Location"] == FIRM_URL


def test_cancel_deletes_the_stored_plan(client_of, bureau_user, media_root):
    client = client_of(bureau_user)
    upload(client, FIRM_URL, GOOD_FIRMS)
    assert ImportJob.objects.count() == 1
    assert client.post(FIRM_URL, {"action": "cancel"}).status_code == 302
    assert stored_files(media_root) == [] and not ImportJob.objects.exists()
    assert Firm.objects.count() == 0


def test_a_second_upload_replaces_the_first(client_of, bureau_user, media_root):
    client = client_of(bureau_user)
    upload(client, FIRM_URL, BAD_FIRMS)
    upload(client, FIRM_URL, GOOD_FIRMS)
    assert ImportJob.objects.count() == 1
    assert client.get(f"{FIRM_URL}?step=preview").context["result"].ok
