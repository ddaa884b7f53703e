"""Municipal codes and names: one canonical key for every source.

Japanese official files identify a municipality in at least five ways: the 5-digit
全国地方公共団体コード without check digit (``"07201"``), the 6-digit form with its check digit
(``"072010"``), that 6-digit form with the leading zero dropped by a spreadsheet (``"72010"``), a
4-digit id without leading zero (``"7201"``), or only a name, sometimes with the 郡 or island prefix
(``"相馬郡飯舘村"``). The canonical key of divide is the 5-digit string ``code``; everything else is
converted here and only here.

Some forms are ambiguous on their own (``"11002"`` is 札幌市 as a 6-digit code with the zero
dropped, but looks like a 5-digit code of 埼玉県), so a source always says which form it uses.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from divide.errors import DivideDataError

CodeForm = Literal["code5", "lg6", "lg6_nozero", "cid4", "code5_or_lg6"]

# (code, Japanese name, English name)
_PREFECTURES: tuple[tuple[str, str, str], ...] = (
    ("01", "北海道", "Hokkaido"),
    ("02", "青森県", "Aomori"),
    ("03", "岩手県", "Iwate"),
    ("04", "宮城県", "Miyagi"),
    ("05", "秋田県", "Akita"),
    ("06", "山形県", "Yamagata"),
    ("07", "福島県", "Fukushima"),
    ("08", "茨城県", "Ibaraki"),
    ("09", "栃木県", "Tochigi"),
    ("10", "群馬県", "Gunma"),
    ("11", "埼玉県", "Saitama"),
    ("12", "千葉県", "Chiba"),
    ("13", "東京都", "Tokyo"),
    ("14", "神奈川県", "Kanagawa"),
    ("15", "新潟県", "Niigata"),
    ("16", "富山県", "Toyama"),
    ("17", "石川県", "Ishikawa"),
    ("18", "福井県", "Fukui"),
    ("19", "山梨県", "Yamanashi"),
    ("20", "長野県", "Nagano"),
    ("21", "岐阜県", "Gifu"),
    ("22", "静岡県", "Shizuoka"),
    ("23", "愛知県", "Aichi"),
    ("24", "三重県", "Mie"),
    ("25", "滋賀県", "Shiga"),
    ("26", "京都府", "Kyoto"),
    ("27", "大阪府", "Osaka"),
    ("28", "兵庫県", "Hyogo"),
    ("29", "奈良県", "Nara"),
    ("30", "和歌山県", "Wakayama"),
    ("31", "鳥取県", "Tottori"),
    ("32", "島根県", "Shimane"),
    ("33", "岡山県", "Okayama"),
    ("34", "広島県", "Hiroshima"),
    ("35", "山口県", "Yamaguchi"),
    ("36", "徳島県", "Tokushima"),
    ("37", "香川県", "Kagawa"),
    ("38", "愛媛県", "Ehime"),
    ("39", "高知県", "Kochi"),
    ("40", "福岡県", "Fukuoka"),
    ("41", "佐賀県", "Saga"),
    ("42", "長崎県", "Nagasaki"),
    ("43", "熊本県", "Kumamoto"),
    ("44", "大分県", "Oita"),
    ("45", "宮崎県", "Miyazaki"),
    ("46", "鹿児島県", "Kagoshima"),
    ("47", "沖縄県", "Okinawa"),
)


@dataclass(frozen=True)
class Prefecture:
    code: str
    name_ja: str
    name_en: str


PREFECTURES: dict[str, Prefecture] = {c: Prefecture(c, ja, en) for c, ja, en in _PREFECTURES}
_PREF_BY_NAME: dict[str, str] = {p.name_ja: p.code for p in PREFECTURES.values()}

# The 20 designated cities (政令指定都市) whose wards are dissolved into the city by default.
DESIGNATED_CITIES: dict[str, str] = {
    "01100": "札幌市",
    "04100": "仙台市",
    "11100": "さいたま市",
    "12100": "千葉市",
    "14100": "横浜市",
    "14130": "川崎市",
    "14150": "相模原市",
    "15100": "新潟市",
    "22100": "静岡市",
    "22130": "浜松市",
    "23100": "名古屋市",
    "26100": "京都市",
    "27100": "大阪市",
    "27140": "堺市",
    "28100": "神戸市",
    "33100": "岡山市",
    "34100": "広島市",
    "40100": "北九州市",
    "40130": "福岡市",
    "43100": "熊本市",
}

# The six villages of the Northern Territories: in N03 and the registers with no administrative
# statistics (Japan does not administer them). Reported, never silently dropped.
NORTHERN_TERRITORIES: dict[str, str] = {
    "01695": "色丹村",
    "01696": "泊村",
    "01697": "留夜別村",
    "01698": "留別村",
    "01699": "紗那村",
    "01700": "蘂取村",
}
NORTHERN_TERRITORIES_ISLANDS: dict[str, tuple[str, str]] = {
    "01695": ("色丹島", "Shikotan"),
    "01696": ("国後島", "Kunashiri"),
    "01697": ("国後島", "Kunashiri"),
    "01698": ("択捉島", "Etorofu"),
    "01699": ("択捉島", "Etorofu"),
    "01700": ("択捉島", "Etorofu"),
}
NORTHERN_TERRITORIES_EN: dict[str, str] = {
    "01695": "Shikotan Village",
    "01696": "Tomari Village",
    "01697": "Ruyobetsu Village",
    "01698": "Rubetsu Village",
    "01699": "Shana Village",
    "01700": "Shibetoro Village",
}


_ROMAJI_SUFFIXES = ("-ken", " ken", "ken", "-fu", " fu", "-to", " to", " prefecture")


def _romaji(text: str) -> str:
    """Latin spelling folded: lower case, macrons and accents dropped (Kyōto -> kyoto), 'ou' and
    'oo' read as the long o of Hepburn without macrons (Toukyou -> tokyo).
    """
    plain = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in plain if not unicodedata.combining(c)).strip()
    for suffix in _ROMAJI_SUFFIXES:
        if plain.endswith(suffix) and len(plain) > len(suffix) + 2:
            plain = plain[: -len(suffix)]
            break
    return plain.replace("ou", "o").replace("oo", "o").replace("uu", "u")


def _name_forms(prefecture: Prefecture) -> set[str]:
    """Every way a prefecture's name is written: 福島県, 福島, Fukushima (北海道 keeps its 道)."""
    ja = prefecture.name_ja
    short = ja[:-1] if ja[-1] in "都府県" else ja
    return {ja, short, _romaji(prefecture.name_en)}


_NAME_FORMS = {code: _name_forms(p) for code, p in PREFECTURES.items()}


def normalize_pref(pref: str | int | None) -> str | None:
    """The 2-digit prefecture code of a code, a name with or without 都/道/府/県, or its romaji;
    None stays None. A part of a name (京, 福) is refused with the prefectures it could mean.

    Parameters
    ----------
    pref : str, int or None
        A code (``7``, ``"07"``), a name (``"福島県"``, ``"福島"``) or romaji (``"Fukushima"``,
        ``"Kyōto-fu"``).

    Examples
    --------
    >>> normalize_pref("福島県"), normalize_pref(7), normalize_pref("Fukushima")
    ('07', '07', '07')
    >>> normalize_pref("京都"), normalize_pref("Kyōto-fu"), normalize_pref("北海道")
    ('26', '26', '01')
    >>> normalize_pref("京")
    Traceback (most recent call last):
    ...
    divide.errors.DivideParameterError: parameter 'pref': '京' could be 東京都 or 京都府: ...
    """
    if pref is None:
        return None
    text = unicodedata.normalize("NFKC", str(pref)).strip()
    if text.isdigit() and 1 <= int(text) <= 47:
        return f"{int(text):02d}"
    folded = _romaji(text)
    exact = [code for code, forms in _NAME_FORMS.items() if text in forms or folded in forms]
    if len(exact) == 1:
        return exact[0]
    from divide.errors import DivideParameterError

    partial = [
        code
        for code, forms in _NAME_FORMS.items()
        if text and any(text in form or (len(folded) > 1 and folded in form) for form in forms)
    ]
    if partial:
        names = [PREFECTURES[code].name_ja for code in partial]
        listed = (
            " or ".join(names) if len(names) < 3 else ", ".join(names[:-1]) + " or " + names[-1]
        )
        raise DivideParameterError(
            f"parameter 'pref': {pref!r} could be {listed}: give the full name or the code"
        )
    raise DivideParameterError(
        f"parameter 'pref': unknown prefecture {pref!r}: give a code 01-47 (e.g. '07'), "
        "福島県, 福島 or Fukushima"
    )


def check_digit(code5: str) -> str:
    """Check digit of a 5-digit code: weights 6,5,4,3,2; (11 - sum mod 11) mod 10 (総務省 rule)."""
    total = sum(int(d) * w for d, w in zip(code5, (6, 5, 4, 3, 2), strict=True))
    return str((11 - total % 11) % 10)


def to_lg6(code5: str) -> str:
    """The 6-digit 全国地方公共団体コード with check digit, e.g. ``"07201"`` -> ``"072010"``.

    Parameters
    ----------
    code5 : str
        The 5-digit municipal code.

    Examples
    --------
    >>> to_lg6("07201"), to_lg6("07564")
    ('072010', '075647')"""
    return code5 + check_digit(code5)


def _digits(value: object) -> str:
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if text.endswith(".0"):  # a code read as a float by a spreadsheet
        text = text[:-2]
    return text


def normalize_code(
    value: object,
    form: CodeForm,
    *,
    file: str | None = None,
    row: int | None = None,
    column: str | None = None,
) -> str:
    """Convert one code in the declared ``form`` to the canonical 5-digit string.

    Full-width digits are accepted (NFKC). A 6-digit code must carry a valid check digit: a wrong
    one means a mistyped or shifted column, which would otherwise join to the wrong municipality.

    Parameters
    ----------
    value : object
        The code as read: text or a number, full-width digits allowed.
    form : {"code5", "lg6", "lg6_nozero", "cid4", "code5_or_lg6"}
        How the file writes codes (declared per column by each loader).
    file, row, column : optional
        Where the value was read, for the error.

    Examples
    --------
    >>> normalize_code("72010", "lg6_nozero"), normalize_code("７２０１", "cid4")
    ('07201', '07201')
    >>> normalize_code("072010", "lg6")
    '07201'
    """
    text = _digits(value)

    def fail(why: str) -> DivideDataError:
        return DivideDataError(why, file=file, row=row, column=column, value=value)

    if not text.isdigit():
        raise fail(f"not a municipal code ({form})")
    if form == "code5_or_lg6":  # decided per value: an analyst's file may mix both forms
        form = "lg6" if len(text) == 6 else "code5"
    code5 = _code5_of(text, form, fail)
    if code5[:2] not in PREFECTURES:
        raise fail(f"prefecture part {code5[:2]} is not 01-47")
    return code5


def _code5_of(text: str, form: CodeForm, fail: Callable[[str], DivideDataError]) -> str:
    """The 5 digits a code of ``form`` stands for; ``fail(why)`` makes the error to raise."""
    if form == "code5":
        if len(text) != 5:
            raise fail("a 5-digit municipal code was expected")
        return text
    if form in ("lg6", "lg6_nozero"):
        if form == "lg6_nozero" and len(text) == 5:
            text = "0" + text
        if len(text) != 6:
            raise fail("a 6-digit municipal code with check digit was expected")
        if check_digit(text[:5]) != text[5]:
            raise fail(f"check digit should be {check_digit(text[:5])}")
        return text[:5]
    if form == "cid4":
        if len(text) not in (4, 5):
            raise fail("a 4- or 5-digit code without leading zero was expected")
        return text.zfill(5)
    raise ValueError(form)  # pragma: no cover - guarded by the type


def ward_to_city(code5: str) -> str:
    """Map a designated-city ward code to its city (``"01101"`` -> ``"01100"``); other codes
    unchanged.

    Wards are numbered just above their city within the prefecture, so the city of a ward is the
    largest designated-city code of the same prefecture below it (this also covers 浜松市's 2024
    wards).
    """
    cities = [c for c in DESIGNATED_CITIES if c[:2] == code5[:2] and c < code5]
    if not cities or code5 in DESIGNATED_CITIES:
        return code5
    city = max(cities)
    # Ward numbers stay below 200 (cities from 201 on are ordinary cities).
    return city if int(code5[2:]) < 200 else code5


def is_ward(code5: str) -> bool:
    return ward_to_city(code5) != code5


_GUN_OR_ISLAND = re.compile(r"^(?P<prefix>.+?(郡|島|支庁))(?P<name>.+[町村])$")


def normalize_name(name: object) -> str:
    """NFKC, spaces removed, and the 郡 / island prefix dropped: ``"相馬郡飯舘村"`` -> ``"飯舘村"``.

    Only towns and villages carry such a prefix, so ``郡山市`` and ``大和郡山市`` are left alone.

    Parameters
    ----------
    name : object
        A municipal name as a file writes it.

    Examples
    --------
    >>> normalize_name("相馬郡飯舘村"), normalize_name("郡山市")
    ('飯舘村', '郡山市')
    """
    text = unicodedata.normalize("NFKC", str(name)).replace(" ", "").replace("\u3000", "").strip()
    match = _GUN_OR_ISLAND.match(text)
    return match.group("name") if match else text


# --- romaji for English names ---------------------------------------------------------------------

_KANA = {
    "あ": "a",
    "い": "i",
    "う": "u",
    "え": "e",
    "お": "o",
    "か": "ka",
    "き": "ki",
    "く": "ku",
    "け": "ke",
    "こ": "ko",
    "さ": "sa",
    "し": "shi",
    "す": "su",
    "せ": "se",
    "そ": "so",
    "た": "ta",
    "ち": "chi",
    "つ": "tsu",
    "て": "te",
    "と": "to",
    "な": "na",
    "に": "ni",
    "ぬ": "nu",
    "ね": "ne",
    "の": "no",
    "は": "ha",
    "ひ": "hi",
    "ふ": "fu",
    "へ": "he",
    "ほ": "ho",
    "ま": "ma",
    "み": "mi",
    "む": "mu",
    "め": "me",
    "も": "mo",
    "や": "ya",
    "ゆ": "yu",
    "よ": "yo",
    "ら": "ra",
    "り": "ri",
    "る": "ru",
    "れ": "re",
    "ろ": "ro",
    "わ": "wa",
    "ゐ": "i",
    "ゑ": "e",
    "を": "o",
    "ん": "n",
    "が": "ga",
    "ぎ": "gi",
    "ぐ": "gu",
    "げ": "ge",
    "ご": "go",
    "ざ": "za",
    "じ": "ji",
    "ず": "zu",
    "ぜ": "ze",
    "ぞ": "zo",
    "だ": "da",
    "ぢ": "ji",
    "づ": "zu",
    "で": "de",
    "ど": "do",
    "ば": "ba",
    "び": "bi",
    "ぶ": "bu",
    "べ": "be",
    "ぼ": "bo",
    "ぱ": "pa",
    "ぴ": "pi",
    "ぷ": "pu",
    "ぺ": "pe",
    "ぽ": "po",
    "ゔ": "vu",
    "ぁ": "a",
    "ぃ": "i",
    "ぅ": "u",
    "ぇ": "e",
    "ぉ": "o",
}
_YOUON = {"ゃ": "a", "ゅ": "u", "ょ": "o"}


def kana_to_romaji(kana: str) -> str:
    """Modified Hepburn without macrons, long vowels shortened as in official place names.

    ``"こおりやま"`` -> ``"koriyama"``, ``"いいたて"`` -> ``"iitate"``. Katakana is accepted.
    """
    text = "".join(chr(ord(ch) - 0x60) if "ァ" <= ch <= "ヶ" else ch for ch in kana)
    out: list[str] = []
    double_next = False
    for ch in text:
        if ch == "っ":
            double_next = True
            continue
        if ch in _YOUON and out:
            prev = out.pop()
            stem = prev[:-1]
            if stem in ("sh", "ch", "j"):
                out.append(stem + _YOUON[ch])
            else:
                out.append(stem + "y" + _YOUON[ch])
            continue
        if ch == "ー":
            continue
        roman = _KANA.get(ch, ch)
        if double_next and roman and roman[0].isalpha():
            roman = ("t" if roman.startswith("ch") else roman[0]) + roman
        double_next = False
        out.append(roman)
    romaji = "".join(out)
    for long, short in (("ou", "o"), ("oo", "o"), ("uu", "u")):
        romaji = romaji.replace(long, short)
    return romaji


_SUFFIX_KANA = {"市": ("し",), "区": ("く",), "町": ("まち", "ちょう"), "村": ("むら", "そん")}
_SUFFIX_EN = {"市": "City", "区": "City", "町": "Town", "村": "Village"}


def english_name(name_ja: str, kana: str | None) -> str | None:
    """``("飯舘村", "いいたてむら")`` -> ``"Iitate Village"``; None when the reading is unknown."""
    if not kana or not name_ja:
        return None
    kana = kana.strip().split()[-1]
    kind = name_ja[-1]
    for suffix in _SUFFIX_KANA.get(kind, ()):
        if kana.endswith(suffix) and len(kana) > len(suffix):
            stem = kana_to_romaji(kana[: -len(suffix)])
            return f"{stem.capitalize()} {_SUFFIX_EN[kind]}"
    return kana_to_romaji(kana).capitalize()
