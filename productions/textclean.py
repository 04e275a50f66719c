"""Clean user-typed text of invisible characters that only ever do harm.

`clean_text(value, multiline=...)` removes:

- NUL and the other C0 control characters (U+0000-U+001F) and DEL (U+007F),
  except tab and line feed in multi-line text; a carriage return is turned
  into a line feed (CRLF and a lone CR alike), or into a space on one line;
- the C1 control characters (U+0080-U+009F);
- Unicode bidirectional overrides, embeddings and isolates (U+202A-U+202E,
  U+2066-U+2069), the "Trojan Source" characters that make text display in
  an order other than the one it is stored in, and the invisible direction
  marks (U+200E, U+200F, U+061C).

Single-line text also loses tabs and line breaks (U+2028 and U+2029, the
Unicode line and paragraph separators, included): each becomes a space.
Nothing else changes: letters, emoji (joiners included) and right-to-left
scripts such as Arabic or Hebrew are kept, and leading or trailing spaces are
left for the form field to strip.

`clean_text` is idempotent: cleaning clean text returns it unchanged.
`CleanCharField` is a form CharField that cleans what it is given.
"""

import re
import unicodedata

from django import forms

BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"

# Always removed: C0 controls but tab, line feed and carriage return (handled
# below), DEL, C1 controls, and the bidi controls above.
_REMOVE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f" + BIDI_CONTROLS + "]")
_NEWLINES = re.compile("\r\n?")
_SINGLE_LINE_BREAKS = re.compile("[\t\n\u2028\u2029]")
_MULTI_LINE_BREAKS = re.compile("[\u2028\u2029]")


def clean_text(value, *, multiline):
    """Return `value` without control and bidi-override characters (see the module doc).

    None stays None, so this can run on optional fields.
    """
    if value is None:
        return None
    value = _NEWLINES.sub("\n", str(value))
    value = _REMOVE.sub("", value)
    if multiline:
        return _MULTI_LINE_BREAKS.sub("\n", value)
    return _SINGLE_LINE_BREAKS.sub(" ", value)


def has_unsafe_characters(value, *, multiline):
    """Whether clean_text would change `value` (e.g. to reject instead of cleaning)."""
    return value is not None and clean_text(value, multiline=multiline) != value


class CleanCharField(forms.CharField):
    """A CharField whose value goes through clean_text (then is stripped, if `strip`).

    `multiline=True` for a textarea (notes, descriptions), False for one line.
    """

    def __init__(self, *, multiline=False, **kwargs):
        self.multiline = multiline
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        value = clean_text(value, multiline=self.multiline)
        if self.strip:
            value = value.strip()
        return value if value not in self.empty_values else self.empty_value


def visible(text):
    """Whether `text` has a character one can see: not only spaces, zero-width
    or other format characters (for names, which must not be blank)."""
    return any(unicodedata.category(char)[0] not in "CZ" for char in text or "")
