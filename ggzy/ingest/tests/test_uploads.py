"""The upload gate and EXIF stripping."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ggzy.ingest.uploads import strip_image_metadata, validate_upload
from ggzy.screening.extract import Limits
from ggzy.screening.rules import Lexicon
from ggzy.screening.tests import documents as d
from ggzy.screening.tests.helpers import resident_id

ID = resident_id()
NO_TERMS = Lexicon(())


def upload(name, data):
    return SimpleUploadedFile(name, data)


def messages(excinfo):
    return " ".join(excinfo.value.messages)


def test_clean_docx_is_accepted_with_its_hash():
    data = d.docx(paragraphs=("中标公告",))
    check = validate_upload(upload("公告.docx", data), lexicon=NO_TERMS)
    assert check.kind == "docx" and check.size == len(data) and len(check.sha256) == 64
    assert check.findings == []


def test_blocking_finding_refuses_the_upload_with_masked_message():
    with pytest.raises(ValidationError) as excinfo:
        validate_upload(upload("名单.docx", d.docx(paragraphs=(f"身份证 {ID}",))), lexicon=NO_TERMS)
    text = messages(excinfo)
    assert "pii.id_card" in text and ID not in text and "不得发布" in text


def test_warnings_are_returned_for_acknowledgement():
    check = validate_upload(upload("a.pdf", d.pdf("Tel 13812345678")), lexicon=NO_TERMS)
    assert [f.rule for f in check.warnings] == ["pii.mobile"]


def test_block_false_returns_blocking_findings():
    data = d.docx(paragraphs=("内部资料",))
    check = validate_upload(upload("a.docx", data), lexicon=NO_TERMS, block=False)
    assert [f.rule for f in check.findings] == ["classified.mark"]


def test_kind_is_judged_by_content_and_allow_list():
    with pytest.raises(ValidationError) as excinfo:
        validate_upload(upload("photo.jpg", b"MZ" + b"\x00" * 64), lexicon=NO_TERMS)
    assert "可执行程序" in messages(excinfo)
    with pytest.raises(ValidationError, match="不接受"):
        validate_upload(upload("a.pdf", d.pdf("x")), allowed=("docx",), lexicon=NO_TERMS)
    with pytest.raises(ValidationError) as excinfo:
        validate_upload(upload("a.docx", d.pdf("x")), lexicon=NO_TERMS)
    assert "扩展名" in messages(excinfo)


def test_size_limit_and_zip_bomb():
    with pytest.raises(ValidationError, match="大小限制"):
        validate_upload(
            upload("a.docx", d.docx(paragraphs=("x",))), lexicon=NO_TERMS, limits=Limits(max_bytes=100)
        )
    with pytest.raises(ValidationError, match="压缩炸弹"):
        validate_upload(upload("a.docx", d.zip_bomb()), lexicon=NO_TERMS)


def test_size_limit_comes_from_settings(settings):
    settings.SCREENING_MAX_UPLOAD_BYTES = 50
    with pytest.raises(ValidationError, match="大小限制"):
        validate_upload(upload("a.pdf", d.pdf("x")), lexicon=NO_TERMS)


def _photo(fmt, **extra):
    image = Image.new("RGB", (6, 4), "red")
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"
    exif[0x0112] = extra.pop("orientation", 1)
    exif[0x8825] = {1: "N", 2: (34.0, 48.0, 0.0)}  # GPS IFD
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, exif=exif.tobytes(), **extra)
    return buffer.getvalue()


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_strip_image_metadata_removes_exif(fmt, tmp_path):
    original = _photo(fmt)
    assert Image.open(io.BytesIO(original)).getexif()
    path = tmp_path / f"photo.{fmt.lower()}"
    path.write_bytes(original)
    cleaned = strip_image_metadata(path)
    assert path.read_bytes() == cleaned
    with Image.open(io.BytesIO(cleaned)) as image:
        assert image.format == fmt and not image.getexif() and image.size == (6, 4)
        assert "exif" not in image.info and "xmp" not in image.info
    assert b"CameraMaker" not in cleaned


def test_strip_image_metadata_applies_orientation_first():
    cleaned = strip_image_metadata(io.BytesIO(_photo("JPEG", orientation=6)))  # rotated 90°
    with Image.open(io.BytesIO(cleaned)) as image:
        assert image.size == (4, 6) and not image.getexif()


def test_strip_image_metadata_refuses_other_formats():
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2)).save(buffer, format="GIF")
    with pytest.raises(ValidationError):
        strip_image_metadata(io.BytesIO(buffer.getvalue()))
