"""The translation catalogues: the reader, the test locales' builder, and
`makemessages` run afresh over the code shows no untranslated or fuzzy entry
for the complete locales (es, ne)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.conf import settings

from assessments import pofiles

COMPLETE = ("es", "ne")


def test_the_reader_reads_what_makemessages_writes():
    text = r"""# header
#, fuzzy
msgid ""
msgstr ""
"Language: es\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

#: a.py:1
#, python-format
msgid "%(count)s client"
msgid_plural "%(count)s clients"
msgstr[0] "%(count)s persona"
msgstr[1] ""

msgctxt "button"
msgid ""
"Save "
"\"draft\"\n"
msgstr "Guardar"

#, fuzzy
msgid "Close"
msgstr "Cerrar"

#~ msgid "Old"
#~ msgstr ""
"""
    entries = pofiles.parse(text)
    assert entries[0].is_header
    assert pofiles.header_value(entries, "Plural-Forms") == "nplurals=2; plural=(n != 1);"
    assert entries[1].msgid_plural == "%(count)s clients" and not entries[1].translated
    assert entries[2].msgctxt == "button" and entries[2].msgid == 'Save "draft"\n'
    assert pofiles.problems(entries) == [
        "untranslated: '%(count)s client'",
        "fuzzy: 'Close'",
    ]
    assert pofiles.parse(pofiles.render(entries))[1:3] == entries[1:3]


def test_the_test_locales_keep_placeholders_markup_and_plurals():
    text = 'Hello %(name)s, <a href="/x">see %s</a> &amp; {count} more'
    accented = pofiles.accented(text)
    assert accented.startswith("⟦") and accented.endswith("⟧")
    for kept in ("%(name)s", '<a href="/x">', "%s", "</a>", "&amp;", "{count}"):
        assert kept in accented
    assert not any(c.isascii() and c.isalpha() for c in pofiles.PLACEHOLDER.sub("", accented))
    rtl = pofiles.right_to_left(text)
    assert pofiles.RLO in rtl and "%(name)s" in rtl and '<a href="/x">' in rtl
    source = [pofiles.Entry(msgid="%(n)s day", msgid_plural="%(n)s days", flags={"python-format"})]
    built = pofiles.pseudo_entries(source, pofiles.accented, "en_XA")
    assert pofiles.header_value(built, "Plural-Forms") == pofiles.PLURAL_FORMS
    assert built[1].msgstr_plural == {0: "⟦%(n)s ðàý⟧", 1: "⟦%(n)s ðàýš⟧"}


@pytest.mark.parametrize("language", COMPLETE)
def test_the_complete_locales_have_the_project_plural_forms(language):
    for path in (Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES").glob("*.po"):
        entries = pofiles.read(path)
        assert pofiles.header_value(entries, "Plural-Forms") == "nplurals=2; plural=(n != 1);"
        assert pofiles.header_value(entries, "Language") == language


@pytest.mark.skipif(not shutil.which("xgettext"), reason="GNU gettext is missing")
def test_makemessages_finds_nothing_untranslated_or_fuzzy(tmp_path):
    locale = pofiles.makemessages_into(Path(settings.BASE_DIR), tmp_path, languages=COMPLETE)
    found = {}
    for language in COMPLETE:
        for domain in pofiles.DOMAINS:
            path = locale / language / "LC_MESSAGES" / f"{domain}.po"
            if path.exists() and (problems := pofiles.problems(pofiles.read(path))):
                found[f"{language}/{domain}"] = problems
    summary = "\n".join(
        f"{name}: {len(problems)} to do, e.g. {problems[:3]}" for name, problems in found.items()
    )
    assert not found, summary
