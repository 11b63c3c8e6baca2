"""Telegram's HTML parse mode, modelled on tdlib's parser so markup it rejects fails here too.

One deliberate difference: with ``strict_ampersand`` (the default) a bare ``&`` that does not
start ``&lt; &gt; &amp; &quot;`` or ``&#NN;``/``&#xHH;`` is an error. Telegram keeps such an
``&`` literally, but an unescaped ``&`` means the bot forgot ``html.escape`` - and the next
user-typed ``<`` would then break the message in production.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Any

Entity = dict[str, Any]

SUPPORTED_TAGS = frozenset(
    {
        "a", "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "code", "pre",
        "span", "tg-spoiler", "tg-emoji", "blockquote",
    }
)  # fmt: skip
_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
    "a": "text_link",
    "tg-emoji": "custom_emoji",
    "blockquote": "blockquote",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_DIGITS = frozenset(string.digits)
_HEX_DIGITS = frozenset(string.hexdigits)
_LETTERS = frozenset(string.ascii_letters)
_NAME_TOKEN = frozenset(string.ascii_letters + string.digits + ".-")


class HtmlError(ValueError):
    """What Telegram puts after "can't parse entities: "."""


@dataclass(frozen=True)
class FormattedText:
    """Visible text plus entities (offsets in UTF-16 code units), as Telegram stores it."""

    text: str
    entities: tuple[Entity, ...] = ()


def utf16_len(text: str) -> int:
    """Telegram measures text in UTF-16 code units: an emoji outside the BMP counts twice."""
    return len(text.encode("utf-16-le")) // 2


def utf16_slice(text: str, start: int, length: int | None = None) -> str:
    """``text[start:start+length]`` with both bounds in UTF-16 code units."""
    raw = text.encode("utf-16-le")[2 * start :]
    if length is not None:
        raw = raw[: 2 * length]
    return raw.decode("utf-16-le")


def decode_entity(src: str, pos: int, *, need_semicolon: bool) -> tuple[str, int] | None:
    """Decode the character reference at ``src[pos] == "&"``; return (char, end) or None."""
    end = pos + 1
    if src[end : end + 1] == "#":
        end += 1
        hexadecimal = src[end : end + 1] == "x"
        end += hexadecimal
        digits_start = end
        allowed = _HEX_DIGITS if hexadecimal else _DIGITS
        while end < len(src) and src[end] in allowed:
            end += 1
        digits = src[digits_start:end]
        if not digits or end - pos >= 10:
            return None
        code = int(digits, 16 if hexadecimal else 10)
        if code == 0 or code >= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return None
        char = chr(code)
    else:
        while end < len(src) and src[end] in _LETTERS:
            end += 1
        named = _NAMED_ENTITIES.get(src[pos + 1 : end])
        if named is None:
            return None
        char = named
    if src[end : end + 1] == ";":
        return char, end + 1
    return None if need_semicolon else (char, end)


@dataclass
class _OpenTag:
    tag: str
    argument: str
    offset: int
    begin: int
    expandable: bool = False


class _Parser:
    def __init__(self, src: str, *, strict_ampersand: bool) -> None:
        self.src = src
        self.strict = strict_ampersand
        self.pos = 0
        self.out: list[str] = []
        self.offset = 0
        self.stack: list[_OpenTag] = []
        self.entities: list[Entity] = []

    def byte_offset(self, index: int) -> int:
        return len(self.src[:index].encode())

    def emit(self, text: str) -> None:
        self.out.append(text)
        self.offset += utf16_len(text)

    def run(self) -> FormattedText:
        src = self.src
        while self.pos < len(src):
            char = src[self.pos]
            if char == "&":
                self.ampersand()
            elif char != "<":
                self.emit(char)
                self.pos += 1
            elif src[self.pos + 1 : self.pos + 2] == "/":
                self.end_tag()
            else:
                self.start_tag()
        if self.stack:
            tag = self.stack[-1].tag
            raise HtmlError(f'Can\'t find end tag corresponding to start tag "{tag}"')
        for entity in self.entities:
            if entity["type"] == "code":
                entity.pop("language", None)  # a language only survives on <pre><code>
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return FormattedText("".join(self.out), tuple(self.entities))

    def ampersand(self) -> None:
        decoded = decode_entity(self.src, self.pos, need_semicolon=self.strict)
        if decoded is not None:
            char, self.pos = decoded
            self.emit(char)
        elif self.strict:
            raise HtmlError(
                f'Unescaped "&" at byte offset {self.byte_offset(self.pos)}; write "&amp;" '
                "(the fake Bot API is stricter than Telegram here, on purpose)"
            )
        else:
            self.emit("&")
            self.pos += 1

    def skip_spaces(self, i: int) -> int:
        while i < len(self.src) and self.src[i].isspace():
            i += 1
        return i

    def start_tag(self) -> None:
        src, begin = self.src, self.pos
        end = begin + 1
        while end < len(src) and not src[end].isspace() and src[end] != ">":
            end += 1
        tag = src[begin + 1 : end].lower()
        if tag not in SUPPORTED_TAGS:
            raise HtmlError(
                f'Unsupported start tag "{tag}" at byte offset {self.byte_offset(begin)}'
            )
        unclosed = HtmlError(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
        opened = _OpenTag(tag, "", self.offset, begin)
        i = end
        while True:
            i = self.skip_spaces(i)
            if i >= len(src):
                raise unclosed
            if src[i] == ">":
                break
            name_start = i
            while i < len(src) and not src[i].isspace() and src[i] not in "=>":
                i += 1
            name = src[name_start:i].lower()
            if not name:
                raise HtmlError(
                    f'Empty attribute name in the tag "{tag}" at byte offset '
                    f"{self.byte_offset(begin)}"
                )
            i = self.skip_spaces(i)
            if i >= len(src):
                raise unclosed
            if src[i] != "=":
                if tag == "blockquote" and name == "expandable":
                    opened.expandable = True
                    continue
                raise HtmlError(
                    f'Expected equal sign in declaration of an attribute of the tag "{tag}" '
                    f"at byte offset {self.byte_offset(begin)}"
                )
            i = self.skip_spaces(i + 1)
            if i >= len(src):
                raise unclosed
            value, i = self.attribute_value(i)
            if i >= len(src):
                raise unclosed
            self.apply_attribute(opened, name, value)
        self.pos = i + 1
        if tag == "span" and opened.argument != "spoiler":
            raise HtmlError(
                f'Tag "span" must have class "tg-spoiler" at byte offset {self.byte_offset(begin)}'
            )
        self.stack.append(opened)

    def attribute_value(self, i: int) -> tuple[str, int]:
        src = self.src
        if src[i] not in "'\"":
            start = i
            while i < len(src) and src[i] in _NAME_TOKEN:
                i += 1
            if i < len(src) and not src[i].isspace() and src[i] != ">":
                raise HtmlError(
                    f"Unexpected end of name token at byte offset {self.byte_offset(i)}"
                )
            return src[start:i].lower(), i
        quote, i, chars = src[i], i + 1, []
        while i < len(src) and src[i] != quote:
            decoded = decode_entity(src, i, need_semicolon=False) if src[i] == "&" else None
            if decoded is None:
                chars.append(src[i])
                i += 1
            else:
                char, i = decoded
                chars.append(char)
        return "".join(chars), i + 1 if i < len(src) else i

    @staticmethod
    def apply_attribute(opened: _OpenTag, name: str, value: str) -> None:
        tag = opened.tag
        if (tag, name) in {("a", "href"), ("tg-emoji", "emoji-id")}:
            opened.argument = value
        elif tag == "code" and name == "class" and value.startswith("language-"):
            opened.argument = value.removeprefix("language-")
        elif tag == "span" and name == "class" and value.startswith("tg-"):
            opened.argument = value.removeprefix("tg-")
        elif tag == "blockquote" and name == "expandable":
            opened.expandable = True

    def end_tag(self) -> None:
        src, begin = self.src, self.pos
        if not self.stack:
            raise HtmlError(f"Unexpected end tag at byte offset {self.byte_offset(begin)}")
        i = begin + 2
        while i < len(src) and not src[i].isspace() and src[i] != ">":
            i += 1
        name = src[begin + 2 : i].lower()
        i = self.skip_spaces(i)
        if i >= len(src) or src[i] != ">":
            raise HtmlError(f"Unclosed end tag at byte offset {self.byte_offset(begin)}")
        opened = self.stack.pop()
        if name and name != opened.tag:
            raise HtmlError(
                f"Unmatched end tag at byte offset {self.byte_offset(begin)}, "
                f'expected "</{opened.tag}>", found "</{name}>"'
            )
        self.pos = i + 1
        self.close(opened)

    def close(self, opened: _OpenTag) -> None:
        length = self.offset - opened.offset
        if opened.tag == "tg-emoji" and not opened.argument.isdigit():
            raise HtmlError("Invalid custom emoji identifier specified")
        if length == 0:
            return
        entity: Entity = {"type": _ENTITY_TYPES[opened.tag], "offset": opened.offset}
        entity["length"] = length
        if opened.tag == "a":
            entity["url"] = opened.argument or utf16_slice("".join(self.out), opened.offset)
        elif opened.tag == "tg-emoji":
            entity["custom_emoji_id"] = opened.argument
        elif opened.tag == "blockquote" and opened.expandable:
            entity["type"] = "expandable_blockquote"
        elif opened.tag == "code" and opened.argument:
            entity["language"] = opened.argument
        elif opened.tag == "pre" and self.entities:
            inner = self.entities[-1]
            same_span = (inner["offset"], inner["length"]) == (opened.offset, length)
            if inner["type"] == "code" and same_span and "language" in inner:
                entity["language"] = self.entities.pop()["language"]
        self.entities.append(entity)


def parse_html(src: str, *, strict_ampersand: bool = True) -> FormattedText:
    """Parse ``src`` like ``parse_mode=HTML``; raise :class:`HtmlError` where Telegram would."""
    return _Parser(src, strict_ampersand=strict_ampersand).run()
