"""The catalogues: the .pot holds every msgid of the source, every language's catalogue
translates all of them (none missing, none fuzzy, the same placeholders), the list of
languages is the catalogues present, and the .mo files are written when stale."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from string import Formatter

import pytest
from babel.messages.pofile import read_po

from quiz.web import i18n

from .i18n_pseudo import POT, ROOT

TRANSLATIONS = ROOT / "quiz" / "translations"
CATALOGUES = sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))


def read(path: Path):
    with path.open("rb") as file:
        return read_po(file)


def msgids(catalog) -> set:
    return {message.id for message in catalog if message.id}


def test_the_template_holds_every_msgid_of_the_source(tmp_path):
    fresh = tmp_path / "messages.pot"
    env = {**os.environ, "POT": str(fresh), "BIN": str(Path(sys.executable).parent)}
    subprocess.run(
        [str(ROOT / "tools" / "i18n.sh"), "extract"], env=env, check=True, capture_output=True
    )
    missing = msgids(read(fresh)) - msgids(read(POT))
    stale = msgids(read(POT)) - msgids(read(fresh))
    assert not missing, f"run tools/i18n.sh update: {sorted(missing)[:20]}"
    assert not stale, f"run tools/i18n.sh update: {sorted(stale)[:20]}"


def test_there_is_a_finnish_catalogue():
    assert TRANSLATIONS / "fi" / "LC_MESSAGES" / "messages.po" in CATALOGUES


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parent.parent.name)
def test_every_language_translates_every_message(path):
    catalog = read(path)
    template = msgids(read(POT))
    assert template - msgids(catalog) == set(), "run tools/i18n.sh update"
    untranslated, fuzzy = [], []
    for message in catalog:
        if not message.id or message.id not in template:
            continue
        if message.fuzzy:
            fuzzy.append(message.id)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings) or len(strings) != (catalog.num_plurals if message.pluralizable else 1):
            untranslated.append(message.id)
    assert not untranslated, untranslated[:20]
    assert not fuzzy, fuzzy[:20]


def brace_fields(text: str) -> set[str]:
    """The ``{name}`` fields of a message formatted with str.format."""
    return {name for _, name, _, _ in Formatter().parse(text) if name is not None}


def forms(message) -> list[tuple[str, str]]:
    """(msgid, msgstr) pairs of a message: one, or each plural form against the plural."""
    if not message.pluralizable:
        return [(message.id, message.string)]
    return [(message.id[min(n, 1)], s) for n, s in enumerate(message.string)]


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parent.parent.name)
def test_every_translation_keeps_the_placeholders_of_its_message(path):
    """%(name)s messages as Babel checks them; {name} messages (str.format, where a "%"
    is only a percent sign) by their fields."""
    catalog = read(path)
    problems = []
    for message in catalog:
        if not message.id or not message.string:
            continue
        if "{" in (message.id if isinstance(message.id, str) else message.id[0]):
            problems += [
                (msgid, text)
                for msgid, text in forms(message)
                if text and brace_fields(text) != brace_fields(msgid)
            ]
        else:
            errors = message.check(catalog)
            if errors:
                problems.append((message.id, errors))
    assert not problems, problems[:10]


def test_the_languages_are_the_catalogues_present(tmp_path):
    for code in ("sv", "fi"):
        folder = tmp_path / code / "LC_MESSAGES"
        folder.mkdir(parents=True)
        (folder / "messages.po").write_bytes((TRANSLATIONS / "messages.pot").read_bytes())
    (tmp_path / "notes").mkdir()
    assert i18n.languages(tmp_path) == ["en", "fi", "sv"]


def test_a_catalogue_is_compiled_when_its_mo_is_missing_or_older(tmp_path):
    folder = tmp_path / "fi" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = folder / "messages.po"
    po.write_bytes((TRANSLATIONS / "fi" / "LC_MESSAGES" / "messages.po").read_bytes())
    assert i18n.compile_catalogues(tmp_path, tmp_path / "elsewhere") == tmp_path
    mo = folder / "messages.mo"
    first = mo.read_bytes()
    assert first.startswith(b"\xde\x12\x04\x95")  # a GNU .mo file
    mo.write_bytes(b"stale")
    os.utime(po, (mo.stat().st_mtime + 10, mo.stat().st_mtime + 10))
    i18n.compile_catalogues(tmp_path, tmp_path / "elsewhere")
    assert mo.read_bytes() == first
    os.utime(mo, (po.stat().st_mtime + 10, po.stat().st_mtime + 10))
    mo.write_bytes(b"kept")
    os.utime(mo, (po.stat().st_mtime + 10, po.stat().st_mtime + 10))
    i18n.compile_catalogues(tmp_path, tmp_path / "elsewhere")
    assert mo.read_bytes() == b"kept"
