"""Bytes to text: BOMs, UTF-8, declared and HTTP charsets, legacy encodings, mixed files, mojibake."""

from __future__ import annotations

import codecs

import pytest

from lagebild.errors import LagebildError
from lagebild.extract.encoding import (charset_from_hint, declared_charset, decode_bytes, decode_mixed,
                                       detect_encoding, looks_binary, repair_mojibake)

DE = ("Für die Bürger ist das Gespräch über Straßenbäume wichtig. Größere Änderungen folgen "
      "im nächsten Jahr, sagte die Oberbürgermeisterin.")
RU = "Президент России заявил, что переговоры продолжатся на следующей неделе в Москве."
PL = "Prezydent Polski powiedział, że rozmowy będą kontynuowane w przyszłym tygodniu w Warszawie."
FR = "L'été dernier, le président français a rencontré ses homologues à Bruxelles — « un succès »."


@pytest.mark.parametrize("bom,enc", [
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
])
def test_bom(bom, enc):
    assert decode_bytes(bom + DE.encode(enc)) == DE


def test_utf16_without_bom():
    assert decode_bytes(DE.encode("utf-16-le")) == DE
    assert not looks_binary(DE.encode("utf-16-be"))


def test_utf8():
    assert decode_bytes(DE.encode()) == DE
    assert decode_bytes(RU.encode()) == RU


def test_utf8_wins_over_a_wrong_latin1_declaration():
    """A page declaring ISO-8859-1 but sent as UTF-8 (common) decodes as UTF-8."""
    html = b'<meta charset="iso-8859-1"><p>' + DE.encode()
    assert DE in decode_bytes(html)
    assert decode_bytes(DE.encode(), "text/html; charset=ISO-8859-1") == DE


def test_declared_meta_charset():
    html = b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251"></head><p>'
    assert RU in decode_bytes(html + RU.encode("cp1251"))
    assert declared_charset(b"<meta charset='ISO-8859-2'>") == "iso8859-2"
    assert PL in decode_bytes(b"<meta charset='ISO-8859-2'><p>" + PL.encode("iso8859-2"))
    assert declared_charset(b'<?xml version="1.0" encoding="koi8-r"?><html>') == "koi8-r"


def test_http_charset_hint():
    assert decode_bytes(RU.encode("koi8-r"), "text/html; charset=KOI8-R") == RU
    assert decode_bytes(RU.encode("koi8-r"), "koi8-r") == RU
    assert charset_from_hint("text/html") is None
    assert charset_from_hint("text/html; charset=latin1") == "cp1252"     # as browsers do
    assert charset_from_hint("charset=\"utf-8\"") == "utf-8"
    assert charset_from_hint("bogus-charset") is None


@pytest.mark.parametrize("text,enc", [(DE, "cp1252"), (FR, "cp1252"), (RU, "cp1251"), (PL, "cp1250"),
                                      (DE, "latin-1")])
def test_legacy_encodings_detected(text, enc):
    assert decode_bytes(text.encode(enc)) == text


def test_cp1252_preferred_on_a_tie():
    assert detect_encoding(DE.encode("cp1252")) == "cp1252"
    assert decode_bytes("Preis: 5 € – „günstig“".encode("cp1252")) == "Preis: 5 € – „günstig“"


def test_cp1252_undefined_bytes_do_not_crash():
    out = decode_bytes(b"Euro \x80, undefined \x81 and \x8d.", "windows-1252")
    assert out.startswith("Euro €, undefined")


def test_mixed_lines_utf8_and_cp1252():
    data = ("Erste Zeile: Grüße aus Köln\n".encode() + "Zweite Zeile: Straße in München\n".encode("cp1252")
            + "„Zitat“ – sagt er.\n".encode() + "Dritte: Gebühr für Änderungen\n".encode("cp1252"))
    assert decode_bytes(data) == ("Erste Zeile: Grüße aus Köln\nZweite Zeile: Straße in München\n"
                                  "„Zitat“ – sagt er.\nDritte: Gebühr für Änderungen\n")


def test_mixed_inside_one_line():
    data = "Köln und ".encode() + "München".encode("cp1252") + " – fertig".encode()
    assert decode_mixed(data) == "Köln und München – fertig"
    assert decode_bytes(data) == "Köln und München – fertig"


def test_mostly_legacy_file_with_one_utf8_line():
    lines = [f"Zeile {i}: Bürgerbüro öffnet später".encode("cp1252") for i in range(20)]
    lines.insert(5, "Eine Zeile in UTF-8: Grüße".encode())
    out = decode_bytes(b"\n".join(lines))
    assert "Zeile 7: Bürgerbüro öffnet später" in out and "Eine Zeile in UTF-8: Grüße" in out
    assert "\ufffd" not in out


@pytest.mark.parametrize("good", [DE, FR, "„Wir schaffen das“, sagte sie. Das kostet 5 €."])
def test_mojibake_repaired(good):
    once = good.encode("utf-8").decode("cp1252", errors="replace").encode("utf-8")
    if "\ufffd" not in once.decode():
        assert decode_bytes(once) == good
    latin = good.encode("utf-8").decode("latin-1").encode("utf-8")
    assert decode_bytes(latin) == good


def test_double_mojibake_and_partial():
    twice = DE.encode().decode("cp1252").encode().decode("cp1252")
    assert repair_mojibake(twice) == DE
    mixed = "Gute Zeile: Grüße\nKaputte Zeile: FÃ¼r die BÃ¼rger\n"
    assert repair_mojibake(mixed) == "Gute Zeile: Grüße\nKaputte Zeile: Für die Bürger\n"


@pytest.mark.parametrize("text", [
    "São Paulo, ESPAÑA, Ñandú und Ðakovo",        # real letters that look like mojibake markers
    "„Deutsche Anführungszeichen“ und “English quotes” and ‘single’",
    "Tom &amp; Jerry &lt;b&gt; — ﬁ ligature, ｆｕｌｌ width",
    "Line one\r\nLine two\u2028three",
    "Ã la carte? Â propos.",
])
def test_correct_text_left_alone(text):
    assert decode_bytes(text.encode()) == text


def test_binary_refused():
    with pytest.raises(LagebildError) as err:
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    assert err.value.code.name == "E103"


def test_control_characters_refused():
    with pytest.raises(LagebildError) as err:
        decode_bytes(("text \x01\x02\x03\x04 " * 20).encode() + b"\x05" * 60 + b"tail" * 2000)
    assert err.value.code.name in ("E103", "E109")


def test_decoding_is_fast_enough_for_big_pages():
    """A 5 MB legacy page decodes in one pass (detection looks at a sample only)."""
    data = (DE + "\n").encode("cp1252") * 40_000
    out = decode_bytes(data)
    assert out.count("Straßenbäume") == 40_000


def test_mojibake_detector_precision():
    from lagebild.extract.encoding import has_mojibake

    assert has_mojibake("nÃ£o houver") and has_mojibake("â€žZitatâ€œ") and has_mojibake("FÃ¼r")
    assert has_mojibake("ÐŸÑ€ÐµÐ·Ð¸Ð´ÐµÐ½Ñ‚")                           # Cyrillic UTF-8 read as cp1252
    for fine in ("Ka\xadbel\xadlo\xadse Ge\xadrä\xadte", "São Paulo", "Ärger über Öl", "â la mode",
                 "Ñandú", "Åland", "ÄÖÜ äöü ß"):
        assert not has_mojibake(fine), fine
    assert repair_mojibake("ÐŸÑ€ÐµÐ·Ð¸Ð´ÐµÐ½Ñ‚") == "Президент"


def test_utf8_bom_with_some_cp1252_lines():
    data = codecs.BOM_UTF8 + "Grüße aus Köln\n".encode() + "Straße in München\n".encode("cp1252")
    assert decode_bytes(data) == "Grüße aus Köln\nStraße in München\n"
