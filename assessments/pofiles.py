"""A small reader and writer of gettext .po files, and the two test locales
built from them (``manage.py pseudo_locales``).

No third-party .po library: the format's subset that makemessages writes
(comments, flags, msgctxt, msgid, msgid_plural, msgstr, msgstr[n], C string
escapes, continued lines) is all that is read and written here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

# --- Reading and writing ------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    comments: list[str] = field(default_factory=list)  # "#." "#:" "# " lines, kept as written
    obsolete: bool = False

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        if self.msgid_plural is not None:
            return bool(self.msgstr_plural) and all(self.msgstr_plural.values())
        return bool(self.msgstr)


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b"}


def _unquote(text: str) -> str:
    text = text.strip()
    if not (text.startswith('"') and text.endswith('"')):
        raise ValueError(f"not a quoted string: {text!r}")
    body, out, i = text[1:-1], [], 0
    while i < len(body):
        char = body[i]
        if char == "\\" and i + 1 < len(body):
            out.append(_ESCAPES.get(body[i + 1], body[i + 1]))
            i += 2
        else:
            out.append(char)
            i += 1
    return "".join(out)


def _quote(text: str) -> str:
    text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\r", "\\r")
    lines = text.split("\n")
    if len(lines) == 1:
        return f'"{lines[0]}"'
    parts = [line + "\\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
    return '""\n' + "\n".join(f'"{part}"' for part in parts)


_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")\s*$")


def parse(text: str) -> list[Entry]:
    entries: list[Entry] = []
    entry = Entry()
    seen_keyword = False
    target: tuple[str, int | None] | None = None

    def finish():
        nonlocal entry, seen_keyword, target
        if seen_keyword:
            entries.append(entry)
        entry, seen_keyword, target = Entry(), False, None

    def put(name, index, value):
        if name == "msgstr" and index is not None:
            entry.msgstr_plural[index] = entry.msgstr_plural.get(index, "") + value
        else:
            setattr(entry, name, (getattr(entry, name) or "") + value)

    for raw in text.splitlines():
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        if not line:
            finish()
            continue
        if line.startswith("#"):
            if seen_keyword:
                finish()
            if line.startswith("#,"):
                entry.flags |= {f.strip() for f in line[2:].split(",") if f.strip()}
            else:
                entry.comments.append(raw)
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword, index, value = match.groups()
            name = "msgstr" if keyword.startswith("msgstr") else keyword
            if name in ("msgctxt", "msgid") and seen_keyword and target and target[0] == "msgstr":
                finish()
            seen_keyword = True
            entry.obsolete = entry.obsolete or obsolete
            target = (name, int(index) if index is not None else None)
            if name in ("msgid_plural", "msgctxt") and getattr(entry, name) is None:
                setattr(entry, name, "")
            put(*target, _unquote(value))
        elif line.startswith('"') and target is not None:
            put(*target, _unquote(line))
        else:
            raise ValueError(f"cannot read .po line: {raw!r}")
    finish()
    return entries


def read(path: Path) -> list[Entry]:
    return parse(Path(path).read_text(encoding="utf-8"))


def render(entries: list[Entry]) -> str:
    blocks = []
    for entry in entries:
        if entry.obsolete:
            continue
        lines = list(entry.comments)
        if entry.flags:
            lines.append("#, " + ", ".join(sorted(entry.flags)))
        if entry.msgctxt is not None:
            lines.append("msgctxt " + _quote(entry.msgctxt))
        lines.append("msgid " + _quote(entry.msgid))
        if entry.msgid_plural is not None:
            lines.append("msgid_plural " + _quote(entry.msgid_plural))
            for index in sorted(entry.msgstr_plural):
                lines.append(f"msgstr[{index}] " + _quote(entry.msgstr_plural[index]))
        else:
            lines.append("msgstr " + _quote(entry.msgstr))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def problems(entries: list[Entry]) -> list[str]:
    """Every entry that is untranslated or fuzzy (the header excepted)."""
    found = []
    for entry in entries:
        if entry.is_header or entry.obsolete:
            continue
        label = (f"[{entry.msgctxt}] " if entry.msgctxt else "") + entry.msgid
        if entry.fuzzy:
            found.append(f"fuzzy: {label!r}")
        elif not entry.translated:
            found.append(f"untranslated: {label!r}")
    return found


def header_value(entries: list[Entry], name: str) -> str | None:
    for entry in entries:
        if entry.is_header:
            for line in entry.msgstr.splitlines():
                key, _, value = line.partition(":")
                if key.strip().lower() == name.lower():
                    return value.strip()
    return None


# --- The test locales ---------------------------------------------------------

# What must come through a translation untouched: printf and named
# placeholders, str.format fields, HTML tags and entities, and Django's own
# template variables (blocktranslate writes them as %(name)s already).
PLACEHOLDER = re.compile(
    r"%\([A-Za-z_][A-Za-z0-9_]*\)[sdifr]"
    r"|%[sdifr%]"
    r"|\{[A-Za-z_0-9]*\}"
    r"|<[^<>]+>"
    r"|&(?:[A-Za-z]+|#[0-9]+|#x[0-9A-Fa-f]+);"
)

_ACCENTED = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "àƀçðéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÅƁÇÐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ",
)

RLO, PDF = "\u202e", "\u202c"  # right-to-left override, pop directional formatting


def _pieces(text: str):
    """(is_placeholder, piece) in order."""
    position = 0
    for match in PLACEHOLDER.finditer(text):
        if match.start() > position:
            yield False, text[position : match.start()]
        yield True, match.group()
        position = match.end()
    if position < len(text):
        yield False, text[position:]


def accented(text: str) -> str:
    """Every letter accented, the whole string bracketed: "⟦Ŝàṽé ðŕàƒţ⟧"."""
    if not text:
        return text
    body = "".join(p if keep else p.translate(_ACCENTED) for keep, p in _pieces(text))
    return f"⟦{body}⟧"


def right_to_left(text: str) -> str:
    """Each run of words displayed right to left (an RLO ... PDF pair around
    it), placeholders and markup left as they are."""
    if not text:
        return text
    return "".join(p if keep or not p.strip() else f"{RLO}{p}{PDF}" for keep, p in _pieces(text))


TEST_LOCALES = {"en_XA": accented, "ar_XB": right_to_left}

PLURAL_FORMS = "nplurals=2; plural=(n != 1);"


def pseudo_entries(source: list[Entry], transform, language: str) -> list[Entry]:
    header = Entry(
        msgid="",
        msgstr=(
            "Project-Id-Version: ExitSupport test locale\n"
            f"Language: {language}\n"
            "MIME-Version: 1.0\n"
            "Content-Type: text/plain; charset=UTF-8\n"
            "Content-Transfer-Encoding: 8bit\n"
            f"Plural-Forms: {PLURAL_FORMS}\n"
        ),
        comments=["# Generated by manage.py pseudo_locales: do not edit, do not commit."],
    )
    out, seen = [header], set()
    for entry in source:
        key = (entry.msgctxt, entry.msgid)
        if entry.is_header or entry.obsolete or key in seen:
            continue
        seen.add(key)
        flags = {f for f in entry.flags if f.endswith("-format")}
        new = Entry(msgid=entry.msgid, msgctxt=entry.msgctxt, flags=flags)
        if entry.msgid_plural is not None:
            new.msgid_plural = entry.msgid_plural
            new.msgstr_plural = {0: transform(entry.msgid), 1: transform(entry.msgid_plural)}
        else:
            new.msgstr = transform(entry.msgid)
        out.append(new)
    return out


# --- Django's and the installed apps' own catalogues ---------------------------


def _catalogues(locale_dir: Path, domain: str) -> list[Path]:
    """The English catalogue of ``domain`` under ``locale_dir`` if there is
    one, else every language's (only their msgids are wanted: together they
    hold every message, even where one translation is behind)."""
    english = locale_dir / "en" / "LC_MESSAGES" / f"{domain}.po"
    if english.exists():
        return [english]
    return sorted(locale_dir.glob(f"*/LC_MESSAGES/{domain}.po"))


def installed_catalogues(domain: str, base_dir: Path | None = None) -> list[Path]:
    """The .po files (for their msgids) of Django itself and of every installed
    app that ships a catalogue outside the project (``base_dir``): Django's
    contrib apps, axes, django-otp, simple-history..."""
    import django
    from django.apps import apps
    from django.conf import settings

    base = Path(base_dir or settings.BASE_DIR).resolve()
    found = []
    found += _catalogues(Path(django.__file__).parent / "conf" / "locale", domain)
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(base) and ".venv" not in path.relative_to(base).parts:
            continue  # the project's own apps: extracted by makemessages
        found += [p for p in _catalogues(path / "locale", domain) if p not in found]
    return found


# --- Extraction into a scratch copy -------------------------------------------

# What makemessages reads: the project's own code and templates (never the
# virtualenv, collected static files, the benchmark or the tests).
SOURCE_DIRS = ("assessments", "factors", "exitsupport", "templates", "static")
DOMAINS = ("django", "djangojs")
LANGUAGES = ("es", "ne")


def makemessages_into(base_dir: Path, scratch: Path, languages=LANGUAGES, stdout=None) -> Path:
    """Run makemessages for ``languages`` (both domains) over a scratch tree
    that links to the project's sources and holds a copy of its locale/, so
    the repository's .po files are not touched. Returns the copy's locale dir."""
    import os
    import shutil

    from django.core.management import call_command
    from django.test.utils import override_settings

    scratch.mkdir(parents=True, exist_ok=True)
    for name in SOURCE_DIRS:
        link = scratch / name
        if not link.exists():
            link.symlink_to(base_dir / name, target_is_directory=True)
    locale = scratch / "locale"
    if (base_dir / "locale").is_dir() and not locale.exists():
        shutil.copytree(base_dir / "locale", locale)
    locale.mkdir(exist_ok=True)
    previous = Path.cwd()
    os.chdir(scratch)
    try:
        with override_settings(LOCALE_PATHS=[locale]):
            for domain in DOMAINS:
                call_command(
                    "makemessages",
                    locale=list(languages),
                    domain=domain,
                    symlinks=True,
                    no_obsolete=True,
                    ignore_patterns=["locale/*", "*/migrations/*"],
                    verbosity=0,
                    stdout=stdout,
                )
    finally:
        os.chdir(previous)
    return locale


def fix_headers(paths) -> None:
    """Give each .po file the project's Plural-Forms and its Language (from its
    path, locale/<lang>/LC_MESSAGES/x.po): makemessages copies Django's own
    Plural-Forms for a new file, and leaves Language empty."""
    for path in map(Path, paths):
        text = path.read_text(encoding="utf-8")
        head, sep, rest = text.partition("\n\n")
        entries = parse(head)
        if not entries or not entries[0].is_header:
            continue
        header = entries[0]
        header.flags.discard("fuzzy")  # msgfmt would drop a fuzzy header
        language = path.parent.parent.name
        lines, out = header.msgstr.splitlines(), []
        for line in lines:
            key = line.partition(":")[0].strip().lower()
            if key == "plural-forms":
                line = f"Plural-Forms: {PLURAL_FORMS}"
            elif key == "language":
                line = f"Language: {language}"
            elif ":" not in line:
                continue  # the rest of a header line that was split
            out.append(line)
        header.msgstr = "\n".join(out) + "\n"
        path.write_text(render([header]).rstrip("\n") + sep + rest, encoding="utf-8")


if __name__ == "__main__":
    import sys

    fix_headers(sys.argv[1:])
