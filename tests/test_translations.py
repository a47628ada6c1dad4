"""One rule for every interface text: each message has nl, en and ja, in the catalogs and in the PWA.

The staff and guide interface uses the gettext catalogs in server/translations; the PWA keeps its
ES-module tables (pwa/js/i18n/*.js) because its offline shell precaches them with the app. Both are checked here,
and the guide's templates and scripts may not show text that is not in the catalogs.
"""

import json
import re
import subprocess
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "server" / "translations"
LANGUAGES = ("nl", "en", "ja")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")


def po(language):
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as file:
        return read_po(file, locale=language)


def template_ids():
    with (TRANSLATIONS / "messages.pot").open("rb") as file:
        return {message.id for message in read_po(file) if message.id}


def forms(message):
    return list(message.string) if isinstance(message.string, (list, tuple)) else [message.string]


def _key(message_id):
    return tuple(message_id) if isinstance(message_id, (list, tuple)) else message_id


def placeholders(text):
    return {a or b for a, b in PLACEHOLDER.findall(text)}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_has_a_translation_in_each_language(language):
    catalog = po(language)
    translated = {m.id for m in catalog if m.id and all(forms(m)) and not m.fuzzy}
    missing = template_ids() - translated
    assert not missing, f"{language} lacks: {sorted(map(str, missing))[:10]}"


@pytest.mark.parametrize("language", ("nl", "ja"))
def test_translations_keep_every_placeholder(language):
    for message in po(language):
        if not message.id:
            continue
        source = message.id[0] if isinstance(message.id, tuple) else message.id
        for text in forms(message):
            assert placeholders(text) == placeholders(source), (language, source, text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogs_match_their_sources(language):
    """The committed .mo files are what `make translations` would compile from the .po files."""
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.mo").open("rb") as file:
        compiled = {_key(m.id): tuple(forms(m)) for m in read_mo(file) if m.id}
    source = {_key(m.id): tuple(forms(m)) for m in po(language) if m.id and not m.fuzzy}
    assert compiled == source, "run `make translations`"


def test_the_pwa_tables_have_every_message_in_nl_en_and_ja():
    script = (
        "const t = {}; for (const l of ['nl','en','ja']) t[l] = (await import(`./pwa/js/i18n/${l}.js`)).default;"
        " console.log(JSON.stringify(t));"
    )
    tables = json.loads(
        subprocess.run(
            ["node", "--input-type=module", "-e", script], cwd=ROOT, check=True, capture_output=True, text=True
        ).stdout
    )
    keys = set().union(*(table.keys() for table in tables.values()))
    for language in LANGUAGES:
        missing = sorted(key for key in keys if not str(tables[language].get(key, "")).strip())
        assert not missing, f"pwa {language} lacks: {missing[:10]}"


# Text between tags, or in attributes people read, must come from the catalog ({{ _(...) }}).
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
READ_ATTRIBUTES = re.compile(r'\b(?:alt|title|placeholder|aria-label|data-confirm)="([^"]*)"')
WORDS = re.compile(r"[A-Za-z]{2,}")
ALLOWED_TEXT = {"Kotoji"}  # the product's name
STAFF_TEMPLATES = (
    sorted((ROOT / "server" / "templates" / "guide").glob("*.html"))
    + sorted((ROOT / "server" / "templates" / "editor").glob("*.html"))
    + [ROOT / "server" / "templates" / name for name in ("error.html", "language_switcher.html")]
)


@pytest.mark.parametrize("template", STAFF_TEMPLATES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_staff_and_guide_templates_show_no_text_outside_the_catalog(template):
    source = template.read_text()
    for value in READ_ATTRIBUTES.findall(source):
        bare = JINJA.sub("", value)
        assert not WORDS.search(bare), f"{template.name}: attribute text {value!r}"
    without_jinja = JINJA.sub(" ", source)
    without_code = re.sub(r"<(script|style)\b.*?</\1>", " ", without_jinja, flags=re.S)
    text = re.sub(r"<[^>]*>", " ", without_code)
    words = set(WORDS.findall(text)) - ALLOWED_TEXT
    assert not words, f"{template.name}: text outside the catalog: {sorted(words)}"


# In scripts, what people read goes through textContent, Option, title, labels and dialogs.
SHOWN = re.compile(
    r"(?:textContent\s*=|new Option\(|title:|setAttribute\(\"aria-label\",|confirm\(|alert\()"
    r"\s*(\"[^\"]*\"|'[^']*'|`[^`]*`)"
)


@pytest.mark.parametrize(
    "script",
    sorted((ROOT / "server" / "static" / "guide").glob("*.js"))
    + sorted((ROOT / "server" / "static" / "editor").glob("*.js")),
    ids=lambda path: f"{path.parent.name}/{path.name}",
)
def test_staff_and_guide_scripts_show_no_text_outside_the_catalog(script):
    source = script.read_text()
    for literal in SHOWN.findall(source):
        bare = re.sub(r"\$\{[^}]*\}", "", literal)
        assert not WORDS.search(bare), f"{script.name}: shown text {literal!r} is not from the catalog"
