"""Text normalisation shared by the text core: raw messages and jieba-segmented ones
(space-separated words, stop words removed) are brought to one character form.

- letter codes and their digits (the masked place names A3区, K9县, A市) become "Ａ";
- other digit runs become "0";
- whitespace, punctuation and a few function characters are dropped.

`normalise(text)` is the fast path; `normalise_with_offsets(text)` gives the same string plus,
for each of its characters, the span of the original text it came from (to show evidence).
"""

import re

MASK_CODE = "Ａ"
MASK_DIGITS = "0"
STOP_CHARS = "的了吗呢吧啊呀着"

_TOKEN = re.compile(r"([A-Za-zＡ-Ｚａ-ｚ]+[0-9０-９]*)|([0-9０-９]+)|([\W_]+)")
_DROP_STOP = str.maketrans("", "", STOP_CHARS)


def _replacement(match: re.Match) -> str:
    if match.group(1):
        return MASK_CODE
    if match.group(2):
        return MASK_DIGITS
    return ""


def normalise(text: str) -> str:
    return _TOKEN.sub(_replacement, text).translate(_DROP_STOP)


def normalise_with_offsets(text: str) -> tuple[str, list[tuple[int, int]]]:
    """The normalised text and, per normalised character, its (start, end) in `text`."""
    chars: list[str] = []
    spans: list[tuple[int, int]] = []

    def copy_plain(start: int, end: int) -> None:
        for i in range(start, end):
            if text[i] not in STOP_CHARS:
                chars.append(text[i])
                spans.append((i, i + 1))

    position = 0
    for match in _TOKEN.finditer(text):
        copy_plain(position, match.start())
        replacement = _replacement(match)
        if replacement:
            chars.append(replacement)
            spans.append(match.span())
        position = match.end()
    copy_plain(position, len(text))
    return "".join(chars), spans
