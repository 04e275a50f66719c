"""productions.textclean: control characters and bidi overrides out of typed text."""

import unicodedata

import pytest
from django.core.exceptions import ValidationError
from hypothesis import example, given
from hypothesis import strategies as st

from productions.textclean import (
    BIDI_CONTROLS,
    CleanCharField,
    clean_text,
    has_unsafe_characters,
)

BOTH = pytest.mark.parametrize("multiline", [True, False])

# Everything clean_text removes (line breaks and tabs aside).
UNSAFE = (
    [chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"]
    + [chr(c) for c in range(0x7F, 0xA0)]
    + list(BIDI_CONTROLS)
)


def is_unsafe(char, multiline):
    if char in "\r\u2028\u2029":
        return True
    if char in "\t\n":
        return not multiline
    return char in UNSAFE


# Examples


@BOTH
@pytest.mark.parametrize(
    "text",
    [
        "Book the van",
        "Café Zürich — 20 €",
        "مرحبا بالعالم",  # Arabic, right to left
        "שלום",  # Hebrew
        "日本語のテキスト",
        "👩‍👩‍👧 family",  # zero-width joiners stay
        "a\u00a0b",  # no-break space
        "",
    ],
)
def test_it_keeps_ordinary_text(text, multiline):
    assert clean_text(text, multiline=multiline) == text


@BOTH
@pytest.mark.parametrize("char", UNSAFE)
def test_it_removes_control_and_bidi_characters(char, multiline):
    assert clean_text(f"a{char}b", multiline=multiline) == "ab"


@BOTH
def test_it_removes_nul(multiline):
    assert clean_text("\x00a\x00b\x00", multiline=multiline) == "ab"


@BOTH
def test_it_removes_a_trojan_source_override(multiline):
    # Displays as "access level: user" while storing "admin" (an RLO and isolates).
    sneaky = "access level: \u202e\u2066nimda\u2069\u2066user"

    assert clean_text(sneaky, multiline=multiline) == "access level: nimdauser"


def test_multiline_text_keeps_line_feeds_and_tabs():
    assert clean_text("one\n\ttwo\n", multiline=True) == "one\n\ttwo\n"


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [
        ("one\r\ntwo", "one\ntwo"),
        ("one\rtwo", "one\ntwo"),
        ("one\r\n\r\ntwo", "one\n\ntwo"),
        ("one\n\rtwo", "one\n\ntwo"),
        ("one\u2028two\u2029three", "one\ntwo\nthree"),
    ],
)
def test_multiline_text_normalises_line_breaks(text, cleaned):
    assert clean_text(text, multiline=True) == cleaned


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [
        ("one\ntwo", "one two"),
        ("one\r\ntwo", "one two"),
        ("one\ttwo", "one two"),
        ("one\u2028two", "one two"),
    ],
)
def test_single_line_text_turns_line_breaks_and_tabs_into_spaces(text, cleaned):
    assert clean_text(text, multiline=False) == cleaned


@BOTH
def test_it_leaves_none_alone(multiline):
    assert clean_text(None, multiline=multiline) is None


def test_it_says_whether_text_would_change():
    assert has_unsafe_characters("a\u202eb", multiline=True)
    assert has_unsafe_characters("a\nb", multiline=False)
    assert not has_unsafe_characters("a\nb", multiline=True)
    assert not has_unsafe_characters(None, multiline=False)


# Properties, over any text


@BOTH
@given(text=st.text())
@example(text="\r\r\n\n\u2028")
@example(text="\x00\u202e\u2066")
def test_it_is_idempotent(text, multiline):
    once = clean_text(text, multiline=multiline)

    assert clean_text(once, multiline=multiline) == once


@BOTH
@given(text=st.text())
@example(text="a\r\nb\u202ec\x00")
def test_no_unsafe_character_survives(text, multiline):
    cleaned = clean_text(text, multiline=multiline)

    assert not [char for char in cleaned if is_unsafe(char, multiline)]
    assert all(unicodedata.category(char) != "Cc" or char in "\t\n" for char in cleaned)


@BOTH
@given(text=st.text())
def test_it_keeps_every_other_character_in_order(text, multiline):
    # Removing the unsafe characters and mapping line breaks is all it does.
    expected = text.replace("\r\n", "\n")
    expected = "".join(
        ("\n" if multiline else " ")
        if char in "\r\u2028\u2029"
        else (" " if not multiline and char in "\t\n" else char)
        for char in expected
        if char not in UNSAFE
    )

    assert clean_text(text, multiline=multiline) == expected


@given(text=st.text(alphabet=st.characters(exclude_categories=["Cc", "Cf", "Zl", "Zp"])))
def test_text_without_control_or_format_characters_is_unchanged(text):
    assert clean_text(text, multiline=False) == text
    assert clean_text(text, multiline=True) == text


# The form field


def test_the_field_cleans_one_line():
    field = CleanCharField(max_length=10)

    assert field.clean(" \u202eab\x00c\n ") == "abc"


def test_the_field_cleans_several_lines():
    field = CleanCharField(multiline=True)

    assert field.clean("one\r\ntwo\u202e\r\n") == "one\ntwo"


def test_the_field_counts_length_after_cleaning():
    field = CleanCharField(max_length=3)

    assert field.clean("a\u202e\u2066b\x00c") == "abc"


def test_the_field_requires_more_than_invisible_characters():
    field = CleanCharField()

    with pytest.raises(ValidationError, match="required"):
        field.clean("\u202e\x00 ")


def test_an_optional_field_is_empty_with_only_invisible_characters():
    field = CleanCharField(required=False)

    assert field.clean("\u202e\x00") == ""
