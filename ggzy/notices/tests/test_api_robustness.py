"""The intake API never answers 5xx and logs every call (issue 14 items 10, 11):
known crashers, control characters, and a property-based sweep (Hypothesis)
over the request schema."""

import json

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ggzy.notices.api import NoticeIn
from ggzy.notices.models import ApiCallLog
from ggzy.notices.services import api_token_create
from ggzy.notices.tests.test_api import URL, candidates_body

pytestmark = pytest.mark.django_db

KINDS = ["construction.candidates", "construction.tender", "procurement.tender", "procurement.change"]


@pytest.fixture
def raw_token():
    _token, raw = api_token_create(name="交易系统", kinds=KINDS)
    return raw


def call(raw, method="post", path=URL, body=None):
    """One call through a client that turns exceptions into 500s, as a server does."""
    client = Client(raise_request_exception=False)
    before = ApiCallLog.objects.count()
    headers = {"Authorization": f"Bearer {raw}"}
    if method == "post":
        data = body if isinstance(body, str | bytes) else json.dumps(body)
        response = client.post(path, data, content_type="application/json", headers=headers)
    else:
        response = client.get(path, headers=headers)
    logged = ApiCallLog.objects.count() - before
    return response, logged


def assert_refused_in_chinese(response, logged, status=None):
    assert 400 <= response.status_code < 500, response.content[:500]
    if status:
        assert response.status_code == status
    detail = response.json()["detail"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in detail), detail
    assert logged == 1


def test_an_image_in_the_body_is_422_not_500(raw_token):
    response, logged = call(raw_token, body=candidates_body(body="<p><img src=x></p>"))
    assert_refused_in_chinese(response, logged, 422)
    assert "body" in response.json()["errors"]


@pytest.mark.parametrize("notice_id", ["-1", "99999999999999999999999", "0", "2147483648", "abc"])
def test_out_of_range_ids_are_404_or_422_and_logged(raw_token, notice_id):
    response, logged = call(raw_token, "get", f"{URL}{notice_id}")
    assert_refused_in_chinese(response, logged)


@pytest.mark.parametrize("body", ["{", "[]", "null", '"x"', b"\xff\xfe", "{}"])
def test_malformed_json_is_4xx_and_logged(raw_token, body):
    response, logged = call(raw_token, body=body)
    assert_refused_in_chinese(response, logged)


# --------------------------------------------------------------------------- control characters (item 11)


@pytest.mark.parametrize(
    "override",
    [
        {"external_id": "JY\x00-1"},
        {"project_name": "焦作\x07工程"},
        {"owner_name": "焦作市\x1b城市管理局"},
        {"objection_method": "书面\x0b提出"},
        {"candidates": [{"rank": 1, "name": "甲\x00公司", "price": "1.00"}]},
        {"attachments": [{"filename": "招标\x00文件.pdf", "content_base64": "JVBERi0="}]},
    ],
)
def test_control_characters_are_refused(raw_token, override):
    response, logged = call(raw_token, body=candidates_body(**override))
    assert_refused_in_chinese(response, logged, 422)
    assert "控制字符" in json.dumps(response.json(), ensure_ascii=False)


def test_tab_and_newline_are_kept_where_text_is_multi_line(raw_token):
    multi_line = "公示期内\n以书面形式\t提出异议。"
    response, logged = call(raw_token, body=candidates_body(objection_method=multi_line))
    assert response.status_code == 201, response.content
    response, logged = call(raw_token, body=candidates_body(external_id="JY-2", project_name="一行\n两行"))
    assert_refused_in_chinese(response, logged, 422)


# --------------------------------------------------------------------------- property-based sweep (item 10)

_text = st.text(max_size=40)
_scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    _text,
    st.sampled_from(
        ["2026-11-02", "2026-13-45", "2026-11-02T09:00:00+08:00", "1e999", "-1", "<p><img src=x></p>"]
    ),
)
_value = st.recursive(
    _scalar,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3),
    max_leaves=6,
)
_fields = sorted(NoticeIn.model_fields)
_body = st.fixed_dictionaries(
    {"kind": st.one_of(st.sampled_from(KINDS), _text), "external_id": st.one_of(_text, _scalar)},
    optional={name: _value for name in _fields if name not in ("kind", "external_id")},
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
@given(body=st.one_of(_body, st.fixed_dictionaries({}, optional={"x": _value}), _value))
def test_push_never_answers_5xx_and_always_logs(raw_token, body):
    response, logged = call(raw_token, body=body)
    assert response.status_code < 500, (body, response.content[:300])
    assert logged == 1, body


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    derandomize=True,
)
@given(
    notice_id=st.one_of(
        st.integers(min_value=-(10**25), max_value=10**25).map(str),
        st.text(alphabet=st.characters(codec="ascii", exclude_characters="/?#%"), min_size=1, max_size=12),
    )
)
def test_get_never_answers_5xx_and_always_logs(raw_token, notice_id):
    response, logged = call(raw_token, "get", f"{URL}{notice_id}")
    assert response.status_code < 500, (notice_id, response.content[:300])
    assert logged == 1, notice_id


def test_admin_forms_refuse_control_characters():
    from django import forms
    from wagtail.documents.forms import get_document_form
    from wagtail.documents.models import Document
    from wagtail.images.forms import get_image_form
    from wagtail.images.models import Image

    from ggzy.core.validators import ControlCharacterFormMixin
    from ggzy.notices.models import NoticePage

    class Sample(ControlCharacterFormMixin, forms.Form):
        title = forms.CharField()
        note = forms.CharField(widget=forms.Textarea)

    assert Sample({"title": "标题", "note": "第一行\r\n\t第二行"}).is_valid()
    form = Sample({"title": "标\x07题", "note": "a\x1bb"})
    assert not form.is_valid()
    assert "控制字符" in form.errors["title"][0] and "控制字符" in form.errors["note"][0]
    assert not Sample({"title": "一行\n两行", "note": "x"}).is_valid()

    # Every notice page form, and the document and image forms (attachment titles), use it.
    for model in [NoticePage, *NoticePage.__subclasses__()]:
        assert issubclass(model.base_form_class, ControlCharacterFormMixin), model
    assert issubclass(get_document_form(Document), ControlCharacterFormMixin)
    assert issubclass(get_image_form(Image), ControlCharacterFormMixin)
