"""The look-alike table (``domain/data/latin_lookalikes.csv``) against its published source,
Unicode's confusables (UTS #39 ``confusables.txt``; ``domain/data/README.md`` names the copy read
and what it lacks): each row whose letter the confusables map to ASCII names that ASCII, and no
row is there that was not looked up. The facts below are the file's lines as it writes them
(letter, then the prototype it maps to), so a row that drifts back from them fails here."""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

import pytest

TABLE = Path(__file__).resolve().parents[1] / "src/lantu/domain/data/latin_lookalikes.csv"

#: ``confusables.txt`` lines whose prototype is ASCII once its combining marks are dropped and
#: its case folded (host names and user-name keys are lower case and drop accents): the row must
#: name that ASCII, or ASCII the file maps the same way (``m`` is ``rn`` to it, ``0`` is ``O``)
ASCII_PROTOTYPE = [
    ("0430", "0061"),  # а → a
    ("0441", "0063"),  # с → c
    ("0501", "0064"),  # ԁ → d
    ("0435", "0065"),  # е → e
    ("04BB", "0068"),  # һ → h
    ("0456", "0069"),  # і → i
    ("0458", "006A"),  # ј → j
    ("04CF", "0069"),  # ӏ → i
    ("043E", "006F"),  # о → o
    ("0440", "0070"),  # р → p
    ("051B", "0071"),  # ԛ → q
    ("0455", "0073"),  # ѕ → s
    ("051D", "0077"),  # ԝ → w
    ("0445", "0078"),  # х → x
    ("0443", "0079"),  # у → y
    ("04BD", "0065"),  # ҽ → e
    ("0433", "0072"),  # г → r
    ("0475", "0076"),  # ѵ → v
    ("0461", "0077"),  # ѡ → w
    ("045B", "0068 0335"),  # ћ → h̵
    ("048D", "0062 0335"),  # ҍ → b̵
    ("04BF", "0065 0328"),  # ҿ → ę
    ("0491", "0072 0027"),  # ґ → r'
    ("0493", "0072 0335"),  # ғ → r̵
    ("04AB", "0063 0326"),  # ҫ → c̦
    ("04B1", "0079 0335"),  # ұ → y̵
    ("03B1", "0061"),  # α → a
    ("03B9", "0069"),  # ι → i
    ("03BD", "0076"),  # ν → v
    ("03C1", "0070"),  # ρ → p
    ("03C5", "0075"),  # υ → u
    ("03B7", "006E 0329"),  # η → n̩
    ("03BF", "006F"),  # ο → o
    ("03B8", "004F 0335"),  # θ → O̵
    ("0561", "0077"),  # ա → w
    ("0563", "0071"),  # գ → q
    ("0566", "0071"),  # զ → q
    ("0570", "0068"),  # հ → h
    ("0578", "006E"),  # ո → n
    ("057D", "0075"),  # ս → u
    ("0585", "006F"),  # օ → o
    ("1200", "0055"),  # ሀ → U
    ("12D0", "004F"),  # ዐ → O
    ("10E7", "0079"),  # ყ → y
    ("10FF", "006F"),  # ჿ → o
    ("05D5", "006C"),  # ו → l
    ("05D9", "0027"),  # י → '
    ("05DF", "006C"),  # ן → l
    ("05E1", "006F"),  # ס → o
    ("05F0", "006C 006C"),  # װ → ll
    ("05F2", "0027 0027"),  # ײ → ''
    ("05F3", "0027"),  # ׳ → '
    ("09E6", "004F"),  # ০ → O
    ("09ED", "0039"),  # ৭ → 9
    ("09EA", "0038"),  # ৪ → 8
    ("0966", "006F"),  # ० → o
    ("0AE6", "006F"),  # ૦ → o
    ("0A66", "006F"),  # ੦ → o
    ("0A67", "0039"),  # ੧ → 9
    ("0A6A", "0038"),  # ੪ → 8
    ("0CE6", "006F"),  # ೦ → o
    ("0D20", "006F"),  # ഠ → o
    ("0D66", "006F"),  # ൦ → o
    ("0B20", "004F"),  # ଠ → O
    ("0B66", "004F"),  # ୦ → O
    ("0B68", "0039"),  # ୨ → 9
    ("0BE6", "006F"),  # ௦ → o
    ("0C66", "006F"),  # ౦ → o
    ("101D", "006F"),  # ဝ → o
    ("1040", "006F"),  # ၀ → o
    ("0E50", "006F"),  # ๐ → o
    # letters of these scripts the confusables map to one ASCII letter or digit, added from them
    ("0431", "0036"),  # б → 6
    ("04AF", "0079"),  # ү → y
    ("A647", "0069"),  # ꙇ → i
    ("03C3", "006F"),  # σ → o
    ("03B3", "0079"),  # γ → y
    ("03F3", "006A"),  # ϳ → j
    ("0584", "0066"),  # ք → f
    ("0581", "0067"),  # ց → g
    ("057C", "006E"),  # ռ → n
    ("05D8", "0076"),  # ט → v
    ("0D6D", "0039"),  # ൭ → 9
]

#: the rows the confusables give no ASCII for: a prototype in another script (``п`` → ``π``),
#: no line at all (``NONE``), or the letter is itself the prototype others map to
#: (``PROTOTYPE``); their ``looks_like`` is Lantu's own reading, kept so the host rule counts them
NO_ASCII_PROTOTYPE = [
    ("044B", "0185 0069"),  # ы → ƅi
    ("050D", "0262"),  # ԍ → ɢ
    ("044E", "NONE"),  # ю: no line
    ("0517", "NONE"),  # ԗ: no line
    ("044A", "02C9 0062"),  # ъ → ˉb
    ("044C", "0185"),  # ь → ƅ
    ("043F", "03C0"),  # п → π
    ("043C", "028D"),  # м → ʍ
    ("04CE", "028D 0326"),  # ӎ → ʍ̦
    ("0442", "1D1B"),  # т → ᴛ
    ("04AD", "1D1B 0329"),  # ҭ → ᴛ̩
    ("050F", "NONE"),  # ԏ: no line
    ("043A", "0138"),  # к → ĸ
    ("049B", "0138 0329"),  # қ → ĸ̩
    ("049D", "NONE"),  # ҝ: no line
    ("049F", "0138 0335"),  # ҟ → ĸ̵
    ("04A1", "NONE"),  # ҡ: no line
    ("04C4", "NONE"),  # ӄ: no line
    ("051F", "NONE"),  # ԟ: no line
    ("043D", "029C"),  # н → ʜ
    ("04A3", "029C 0329"),  # ң → ʜ̩
    ("04A5", "NONE"),  # ҥ: no line
    ("04C8", "029C 0326"),  # ӈ → ʜ̦
    ("04CA", "029C 0326"),  # ӊ → ʜ̦
    ("050B", "NONE"),  # ԋ: no line
    ("0527", "NONE"),  # ԧ: no line
    ("0529", "NONE"),  # ԩ: no line
    ("0432", "0299"),  # в → ʙ
    ("0448", "PROTOTYPE"),  # ш: others map to it
    ("0449", "NONE"),  # щ: no line
    ("0454", "A793"),  # є → ꞓ
    ("04FB", "NONE"),  # ӻ: no line
    ("04B3", "NONE"),  # ҳ: no line
    ("04FD", "NONE"),  # ӽ: no line
    ("04FF", "NONE"),  # ӿ: no line
    ("0503", "NONE"),  # ԃ: no line
    ("048F", "NONE"),  # ҏ: no line
    ("0525", "NONE"),  # ԥ: no line
    ("0437", "025C"),  # з → ɜ
    ("0499", "025C 0326"),  # ҙ → ɜ̦
    ("04E1", "021D"),  # ӡ → ȝ
    ("03BA", "0138"),  # κ → ĸ
    ("03C9", "PROTOTYPE"),  # ω: others map to it
    ("03C4", "1D1B"),  # τ → ᴛ
    ("03C7", "PROTOTYPE"),  # χ: others map to it
    ("03FC", "NONE"),  # ϼ: no line
    ("0567", "NONE"),  # է: no line
    ("056C", "NONE"),  # լ: no line
    ("0575", "0237"),  # յ → ȷ
    ("0582", "NONE"),  # ւ: no line
    ("0559", "PROTOTYPE"),  # ՙ: others map to it
    ("0577", "NONE"),  # շ: no line
    ("0573", "NONE"),  # ճ: no line
    ("1220", "NONE"),  # ሠ: no line
    ("1230", "NONE"),  # ሰ: no line
    ("1235", "NONE"),  # ስ: no line
    ("1260", "0548"),  # በ → Ո
    ("1290", "NONE"),  # ነ: no line
    ("1270", "NONE"),  # ተ: no line
    ("12A8", "NONE"),  # ከ: no line
    ("12D5", "NONE"),  # ዕ: no line
    ("12D8", "NONE"),  # ዘ: no line
    ("1320", "NONE"),  # ጠ: no line
    ("1350", "NONE"),  # ፐ: no line
    ("AB05", "NONE"),  # ꬅ: no line
    ("10D8", "NONE"),  # ი: no line
    ("10DD", "NONE"),  # ო: no line
    ("10EB", "NONE"),  # ძ: no line
    ("10EE", "NONE"),  # ხ: no line
    ("10FD", "NONE"),  # ჽ: no line
    ("10D5", "NONE"),  # ვ: no line
    ("10DE", "NONE"),  # პ: no line
    ("05D3", "PROTOTYPE"),  # ד: others map to it
    ("05D7", "NONE"),  # ח: no line
    ("09E8", "NONE"),  # ২: no line
    ("0993", "NONE"),  # ও: no line
    ("093D", "PROTOTYPE"),  # ऽ: others map to it
    ("0971", "PROTOTYPE"),  # ॱ: others map to it
    ("0968", "PROTOTYPE"),  # २: others map to it
    ("0909", "NONE"),  # उ: no line
    ("0AA1", "NONE"),  # ડ: no line
    ("0A9F", "NONE"),  # ટ: no line
    ("0AE7", "NONE"),  # ૧: no line
    ("0AE8", "0968"),  # ૨ → २
    ("0AE9", "0969"),  # ૩ → ३
    ("0AED", "NONE"),  # ૭: no line
    ("0A68", "NONE"),  # ੨: no line
    ("0A24", "NONE"),  # ਤ: no line
    ("0A69", "NONE"),  # ੩: no line
    ("0A6B", "NONE"),  # ੫: no line
    ("0CBD", "NONE"),  # ಽ: no line
    ("0CE7", "0C67"),  # ೧ → ౧
    ("0CE9", "NONE"),  # ೩: no line
    ("0CED", "NONE"),  # ೭: no line
    ("0D1F", "NONE"),  # ട: no line
    ("0D27", "NONE"),  # ധ: no line
    ("0D28", "PROTOTYPE"),  # ന: others map to it
    ("0D31", "0D30"),  # റ → ര
    ("0B6E", "NONE"),  # ୮: no line
    ("0B6B", "NONE"),  # ୫: no line
    ("0B9F", "PROTOTYPE"),  # ட: others map to it
    ("0BAA", "NONE"),  # ப: no line
    ("0C67", "PROTOTYPE"),  # ౧: others map to it
    ("0C69", "NONE"),  # ౩: no line
    ("0C68", "PROTOTYPE"),  # ౨: others map to it
    ("1001", "NONE"),  # ခ: no line
    ("1002", "PROTOTYPE"),  # ဂ: others map to it
    ("1004", "NONE"),  # င: no line
    ("1011", "NONE"),  # ထ: no line
    ("1015", "PROTOTYPE"),  # ပ: others map to it
    ("1042", "NONE"),  # ၂: no line
    ("1054", "NONE"),  # ၔ: no line
    ("105C", "NONE"),  # ၜ: no line
    ("1090", "NONE"),  # ႐: no line
    ("1091", "NONE"),  # ႑: no line
    ("1095", "NONE"),  # ႕: no line
    ("1096", "NONE"),  # ႖: no line
    ("1097", "NONE"),  # ႗: no line
    ("1012", "NONE"),  # ဒ: no line
    ("0E17", "0E11"),  # ท → ฑ
    ("0E19", "NONE"),  # น: no line
    ("0E1A", "PROTOTYPE"),  # บ: others map to it
    ("0E1E", "PROTOTYPE"),  # พ: others map to it
    ("0E23", "NONE"),  # ร: no line
    ("0E2B", "NONE"),  # ห: no line
    ("0E40", "PROTOTYPE"),  # เ: others map to it
    ("0E41", "0E40 0E40"),  # แ → เเ
    ("0E14", "0E04"),  # ด → ค
    ("0E25", "NONE"),  # ล: no line
    ("0E1B", "PROTOTYPE"),  # ป: others map to it
    ("0E1F", "PROTOTYPE"),  # ฟ: others map to it
    ("0E21", "0E06"),  # ม → ฆ
]

#: ASCII characters the confusables map on (``0030 ; 004F``, ``0031 ; 006C``, ``006D ; 0072 006E``…)
ASCII_ITSELF = {"0": "O", "1": "l", "I": "l", "|": "l", "m": "rn", '"': "''", "`": "'"}


def _chars(hexes: str) -> str:
    return "".join(chr(int(h, 16)) for h in hexes.split())


def _folded(text: str) -> str:
    """The confusables' skeleton as a lower-case, accent-free key sees it."""
    text = "".join(ASCII_ITSELF.get(c, c) for c in unicodedata.normalize("NFD", text))
    return "".join(c for c in text if unicodedata.category(c) != "Mn").casefold()


def _rows() -> dict[str, dict[str, str]]:
    with TABLE.open(encoding="utf-8", newline="") as fh:
        return {row["letter"]: row for row in csv.DictReader(fh)}


@pytest.mark.parametrize(("letter", "prototype"), ASCII_PROTOTYPE)
def test_a_row_names_the_ascii_the_confusables_map_its_letter_to(letter, prototype):
    row = _rows()[_chars(letter)]
    assert _folded(row["looks_like"]) == _folded(_chars(prototype)), row


def test_every_row_was_looked_up_in_the_confusables():
    looked_up = [_chars(c) for c, _ in ASCII_PROTOTYPE + NO_ASCII_PROTOTYPE]
    assert len(looked_up) == len(set(looked_up))
    assert set(_rows()) == set(looked_up)


def test_a_row_without_an_ascii_prototype_has_none_in_the_facts():
    for letter, prototype in NO_ASCII_PROTOTYPE:
        if prototype not in ("NONE", "PROTOTYPE"):
            assert not _folded(_chars(prototype)).isascii(), letter


def test_the_source_is_named_next_to_the_data():
    note = (TABLE.parent / "README.md").read_text(encoding="utf-8")
    for fact in ("UTS #39", "confusables.txt", "9.0.0 or later",
                 "d3ebb468252d4cbf41301d23d1b83edde2b8fc0a", "Not read"):
        assert fact in note, fact
