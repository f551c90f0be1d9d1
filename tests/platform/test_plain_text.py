"""PlainText, the shared field of name-like text: which characters it refuses, and what /openapi.json says."""

from __future__ import annotations

import re

import marshmallow as ma
import pytest

from backend.platform.web.schemas import LINE_PATTERN, MULTILINE_PATTERN, PlainText


class Form(ma.Schema):
    name = PlainText()
    content = PlainText(multiline=True)


REFUSED_EVERYWHERE = ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\x9f", "\u2028", "\u2029", "\u202e", "\u2066",
                      "\ud800"]
LINE_BREAKS = ["\r", "\n", "\t", "\r\n", "\x0b", "\x0c"]
ACCEPTED = ["阿海鲜活水产", "M-007 号", "《中华人民共和国产品质量法》第十五条；", "O'Brien \"&\" <b>", "鱼🐟档", "ＡＢＣ　全角"]


@pytest.mark.parametrize("char", REFUSED_EVERYWHERE + LINE_BREAKS)
def test_a_name_refuses_control_characters_with_a_chinese_message(char):
    with pytest.raises(ma.ValidationError) as e:
        Form().load({"name": f"阿海{char}水产"})
    assert e.value.messages == {"name": ["不能包含控制字符（换行、回车、制表符等），请只填写一行文字。"]}


def test_a_trailing_line_feed_is_refused_too():  # Python's `$` matches before a final LF
    with pytest.raises(ma.ValidationError):
        Form().load({"name": "阿海\n"})


@pytest.mark.parametrize("char", REFUSED_EVERYWHERE + ["\x0b", "\x0c"])
def test_multiline_text_refuses_other_control_characters(char):
    with pytest.raises(ma.ValidationError) as e:
        Form().load({"content": f"第一行{char}第二行"})
    assert e.value.messages == {"content": ["不能包含控制字符（换行、回车、制表符除外）。"]}


def test_multiline_text_keeps_line_breaks_and_tabs():
    assert Form().load({"content": "第一行\r\n第二行\n\t第三行"}) == {"content": "第一行\r\n第二行\n\t第三行"}


@pytest.mark.parametrize("text", ACCEPTED)
def test_ordinary_text_is_accepted_unchanged(text):
    assert Form().load({"name": text, "content": text}) == {"name": text, "content": text}


def test_openapi_marks_the_fields_and_its_pattern_agrees_with_the_check(app, client):
    spec = client.get("/openapi.json").get_json()
    prop = spec["components"]["schemas"]["NewMerchant"]["properties"]["stall_no"]
    assert prop["x-name-like"] is True and prop["pattern"] == LINE_PATTERN
    failed_items = spec["components"]["schemas"]["NewInspection"]["properties"]["failed_items"]
    assert failed_items["x-multiline"] is True and failed_items["pattern"] == MULTILINE_PATTERN
    line, multi = re.compile(LINE_PATTERN), re.compile(MULTILINE_PATTERN)
    for char in REFUSED_EVERYWHERE[:-1]:  # a lone surrogate is not a character a pattern can name portably
        assert not line.fullmatch(f"a{char}b") and not multi.fullmatch(f"a{char}b")
    assert multi.fullmatch("a\r\n\tb") and not line.fullmatch("a\r\n\tb")
