"""Words for the learned model, in any language: a tokenizer per language, and a default for the rest.

The default splits on word characters and lower-cases them, which suits English and other languages
written with spaces; a run of Hangul or Han characters it cannot segment is read as its character
pairs (a Korean or Chinese word is usually two or three characters). A language with its own
segmenter (Korean morphemes, Chinese words) registers it with :func:`register_tokenizer`; the model
then reads that language's sentences in its words. Names and dates never reach the tokenizer: the
features replace them by what they are (a place of which country, a day, a year).
"""

from __future__ import annotations

import re
from collections.abc import Callable

Tokenizer = Callable[[str], list[str]]

_WORD = re.compile(r"[^\W\d_]+|\d+", re.UNICODE)
_CJK = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_TOKENIZERS: dict[str, Tokenizer] = {}


def register_tokenizer(language: str, tokenizer: Tokenizer) -> None:
    """Read ``language`` (an ISO 639-1 code) with ``tokenizer``: text in, its words out, in order."""
    _TOKENIZERS[language] = tokenizer


def _pairs(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[index : index + 2] for index in range(len(run) - 1)]


def default_tokens(text: str) -> list[str]:
    """Lower-cased words; digits as one token '0'; a run of Hangul or Han as its character pairs."""
    found: list[str] = []
    for match in _WORD.finditer(text):
        word = match.group(0)
        if word.isdigit():
            found.append("0")
        elif _CJK.search(word):
            found.extend(_pairs(word))
        else:
            found.append(word.casefold())
    return found


def tokens(text: str, language: str) -> list[str]:
    """The words of ``text`` as the model reads them in ``language``."""
    tokenizer = _TOKENIZERS.get(language)
    return tokenizer(text) if tokenizer is not None else default_tokens(text)


def guess_language(text: str) -> str:
    """'ko', 'zh' or 'en' by the script most of the text's letters are in (a draft's language when none is given)."""
    hangul = len(re.findall(r"[\uac00-\ud7af]", text))
    han = len(re.findall(r"[\u4e00-\u9fff]", text))
    latin = len(re.findall(r"[A-Za-z]", text))
    if hangul >= max(han, latin / 3) and hangul > 0:
        return "ko"
    if han >= latin / 3 and han > 0:
        return "zh"
    return "en"
