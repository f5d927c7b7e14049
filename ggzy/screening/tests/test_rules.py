"""The rule engine on plain text: true and false positives for each rule."""

import pytest

from ggzy.screening.rules import BLOCK, WARN, Lexicon, LexiconTerm, mask_sensitive, screen_text

from .helpers import luhn_number, resident_id, with_wrong_check

ID = resident_id()  # 410802199003071239


def rules(text, **kwargs):
    return [f.rule for f in screen_text(text, **kwargs)]


# ----------------------------------------------------------------- pii.id_card


@pytest.mark.parametrize(
    "written",
    [
        ID,
        f"{ID[:6]} {ID[6:14]} {ID[14:]}",
        f"身份证号：{ID}。",
    ],
)
def test_resident_id_is_found_and_blocks(written):
    findings = screen_text(f"投标人联系人 {written} 已登记")
    assert [(f.rule, f.severity) for f in findings] == [("pii.id_card", BLOCK)]


def test_lower_case_x_check_character_is_an_id():
    serial = next(s for s in (f"{n:03d}" for n in range(1000)) if resident_id(serial=s).endswith("X"))
    number = resident_id(serial=serial)
    assert rules(number.lower()) == ["pii.id_card"]
    assert rules(number) == ["pii.id_card"]


def test_id_with_wrong_check_digit_is_not_an_id():
    assert "pii.id_card" not in rules(f"编号 {with_wrong_check(ID)}")


def test_id_with_impossible_birth_date_is_not_an_id():
    assert "pii.id_card" not in rules(resident_id(birth="19901332"))
    assert "pii.id_card" not in rules(resident_id(birth="20990101"))  # born in the future


def test_eighteen_digit_project_code_is_not_an_id():
    # Trading-system project codes: date-like, 18 digits, but no valid check digit.
    for code in ("410800202611250001", "410800202611250002", "JZ410800202611250003"):
        assert rules(f"项目编号：{code}") == []


def test_longer_digit_runs_do_not_contain_ids():
    assert "pii.id_card" not in rules(f"9{ID}")
    assert "pii.id_card" not in rules(f"{ID}5")


def test_valid_id_next_to_an_invalid_candidate_is_still_found():
    assert rules(f"4 {ID}") == ["pii.id_card"]


# ----------------------------------------------------------------- pii.bank_card


@pytest.mark.parametrize("length", [16, 17, 18, 19])
def test_luhn_valid_card_numbers_warn(length):
    number = luhn_number("6222", length)
    findings = screen_text(f"收款账号 {number}")
    assert [(f.rule, f.severity) for f in findings] == [("pii.bank_card", WARN)]


def test_grouped_card_number_is_found():
    number = luhn_number("6222", 19)
    grouped = " ".join(number[i : i + 4] for i in range(0, 19, 4))
    assert rules(f"账号：{grouped}") == ["pii.bank_card"]


def test_luhn_invalid_or_short_numbers_are_not_cards():
    number = luhn_number("6222", 16)
    broken = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert rules(f"账号 {broken}") == []
    assert rules(f"账号 {luhn_number('6222', 15)}") == []
    assert rules(f"账号 {luhn_number('6222', 20)}") == []


# ----------------------------------------------------------------- pii.mobile


@pytest.mark.parametrize("written", ["13812345678", "138 1234 5678", "138-1234-5678", "+86 13912345678"])
def test_mobile_numbers_warn(written):
    findings = screen_text(f"联系电话：{written}。")
    assert [(f.rule, f.severity) for f in findings] == [("pii.mobile", WARN)]


@pytest.mark.parametrize(
    "written", ["0391-3568888", "(0391)3568888", "03913568888", "3568888", "12345678901"]
)
def test_landlines_and_other_numbers_are_not_mobiles(written):
    assert rules(f"联系电话：{written}") == []


# ----------------------------------------------------------------- classified.mark


@pytest.mark.parametrize(
    "mark",
    ["绝密★", "机密★", "秘密★", "机密★10年", "秘密★ 5年", "绝密★长期", "内部资料", "内部文件", "注意保密"],
)
def test_classification_markings_block(mark):
    findings = screen_text(f"{mark}\n关于某项目的通知")
    assert [(f.rule, f.severity) for f in findings] == [("classified.mark", BLOCK)]


def test_words_about_secrets_are_not_markings():
    assert rules("不得泄露商业秘密和个人隐私，机密文件应妥善管理。") == []


# ----------------------------------------------------------------- lexicon


@pytest.fixture
def lexicon():
    return Lexicon(
        [
            LexiconTerm("gambling", "网络赌博"),
            LexiconTerm("cult_superstition", "FaLun"),
            LexiconTerm("rumour", "小道消息", "warn"),
        ]
    )


@pytest.mark.parametrize(
    "written",
    ["网络赌博", "网 络 赌 博", "网·络-赌，博", "网\u200b络赌博", "ｆａｌｕｎ", "FALUN", "Fa Lun"],
)
def test_lexicon_matches_after_normalisation(lexicon, written):
    text = f"正文开头，{written}。结尾"
    findings = screen_text(text, lexicon=lexicon)
    assert len(findings) == 1 and findings[0].severity == BLOCK
    assert findings[0].rule in ("lexicon.gambling", "lexicon.cult_superstition")
    # the offset points at the term as written in the original text
    assert findings[0].offset == text.index(written)


def test_lexicon_offsets_survive_expanding_characters(lexicon):
    text = "㈱ß 前文 网 络赌博"
    (finding,) = screen_text(text, lexicon=lexicon)
    assert finding.offset == text.index("网")


def test_lexicon_entry_severity_is_kept(lexicon):
    (finding,) = screen_text("听说小道消息", lexicon=lexicon)
    assert (finding.rule, finding.severity) == ("lexicon.rumour", WARN)


def test_lexicon_ignores_innocent_text(lexicon):
    assert screen_text("焦作市公共资源交易中心关于网络安全的通知", lexicon=lexicon) == []


def test_lexicon_terms_are_masked_in_excerpts(lexicon):
    (finding,) = screen_text("这是网络赌博广告", lexicon=lexicon)
    assert "网络赌博" not in finding.excerpt and "网***" in finding.excerpt


# ----------------------------------------------------------------- masking


def test_excerpts_never_contain_a_full_id_or_card():
    card = luhn_number("6222", 19)
    text = f"身份证{ID}，卡号{card}，另有错误号码{with_wrong_check(ID)}，电话13812345678"
    findings = screen_text(text)
    assert {f.rule for f in findings} == {"pii.id_card", "pii.bank_card", "pii.mobile"}
    for finding in findings:
        assert ID not in finding.excerpt.replace(" ", "")
        assert card not in finding.excerpt.replace(" ", "")
        assert with_wrong_check(ID) not in finding.excerpt
        assert "13812345678" not in finding.excerpt
    id_finding = next(f for f in findings if f.rule == "pii.id_card")
    assert "410" in id_finding.excerpt and "*" in id_finding.excerpt


def test_mask_sensitive_keeps_length():
    text = f"号码 {ID} 电话 138-1234-5678"
    masked = mask_sensitive(text)
    assert len(masked) == len(text) and ID not in masked and "5678" in masked


def test_lexicon_offsets_in_long_texts_and_across_chunk_cuts(lexicon):
    filler = "交易中心发布公告" * 600  # > one normalisation chunk
    text = filler + "网络。赌博" + filler + "\n" + filler + "ＦＡ ＬＵＮ" + filler
    findings = screen_text(text, lexicon=lexicon)
    assert [(f.rule, f.offset) for f in findings] == [
        ("lexicon.gambling", text.index("网络。赌博")),
        ("lexicon.cult_superstition", text.index("ＦＡ ＬＵＮ")),
    ]
    assert all("*" in f.excerpt for f in findings)


def test_pii_found_anywhere_in_long_texts():
    text = ("公告正文" * 3000) + f" {ID} " + ("公告正文" * 3000) + "电话 13812345678"
    assert [(f.rule, f.offset) for f in screen_text(text)] == [
        ("pii.id_card", text.index(ID)),
        ("pii.mobile", text.index("138")),
    ]


def test_full_width_digits_are_found_and_masked():
    full_width = ID.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    text = f"身份证号：{full_width}，手机：１３８　１２３４　５６７８"
    findings = screen_text(text)
    assert [(f.rule, f.offset) for f in findings] == [
        ("pii.id_card", text.index(full_width)),
        ("pii.mobile", text.index("１３８")),
    ]
    assert full_width not in findings[0].excerpt and "４１０" in findings[0].excerpt
