"""`make translations`: extract the interface's messages, update the nl/en/ja catalogs, compile them.

English is the source language: its catalog repeats each id, so that "every message has nl, en and ja"
is one rule for all three. Compiled .mo files are committed, so a fresh clone runs without this step.
"""

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "server" / "translations"
POT = TRANSLATIONS / "messages.pot"
LANGUAGES = ("nl", "en", "ja")
PYBABEL = [sys.executable, "-m", "babel.messages.frontend"]


def run(*args: str) -> None:
    subprocess.run([*PYBABEL, *args], check=True, cwd=ROOT)


def fill_english() -> None:
    path = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as file:
        catalog = read_po(file, locale="en")
    for message in catalog:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.id and (not all(strings) or message.fuzzy):
            message.string = message.id
            message.flags.discard("fuzzy")
    with path.open("wb") as file:
        write_po(file, catalog, width=110, include_previous=False)


def main() -> None:
    run(
        "extract",
        "-F",
        "babel.cfg",
        "-o",
        str(POT),
        "-k",
        "_",
        "-k",
        "n_:1,2",
        "-k",
        "N_",
        "--add-location=file",
        "--sort-by-file",
        "--no-wrap",
        "--project=Kotoji",
        "--copyright-holder=Kotoji",
        ".",
    )
    for language in LANGUAGES:
        po = TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"
        command = "update" if po.exists() else "init"
        args = [command, "-i", str(POT), "-d", str(TRANSLATIONS), "-l", language, "--no-wrap"]
        if command == "update":
            args += ["--no-fuzzy-matching", "--ignore-obsolete"]
        run(*args)
    fill_english()
    run("compile", "-d", str(TRANSLATIONS), "--statistics")


if __name__ == "__main__":
    main()
