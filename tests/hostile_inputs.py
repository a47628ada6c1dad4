"""Hostile texts: one named string per way a text has broken (or could break) something. Add to it with each finding.

Every text field that takes input is fuzzed with these (see tests/editor/test_fuzz_text_fields.py):
each must be refused with a clear 4xx, or stored and read back exactly, never a 5xx.
"""

import re

HOSTILE_INPUTS: list[tuple[str, str]] = [
    # Template syntax: must stay text (the red team's C1 was Jinja2 reached through the tour map).
    ("jinja expression", "{{7*7}}"),
    ("jinja statement", "{% if 1 %}x{% endif %}"),
    ("jinja comment opener", "{#"),
    ("jinja config", "{{ config.items() }}"),
    ("jinja class walk", "{{ ''.__class__.__mro__[1].__subclasses__() }}"),
    ("format string", "{0.__class__} %s %(x)s ${x}"),
    # Control characters (L4, L5): invalid in XML 1.0, NUL refused by PostgreSQL text.
    ("NUL", "Street 1\x00"),
    ("NUL alone", "\x00"),
    ("start of heading", "Belfort \x01"),
    ("vertical tab and escape", "Belfort \x0b\x1b"),
    ("form feed", "a\x0cb"),
    ("unit separator", "a\x1fb"),
    ("DEL", "a\x7fb"),
    ("C1 control", "a\x85b\x9fc"),
    ("non-character U+FFFE", "a\ufffeb"),
    ("non-character U+FFFF", "a\uffffb"),
    ("lone high surrogate", "a\ud800b"),
    ("lone low surrogate", "\udfff"),
    ("tab", "a\tb"),
    ("line breaks", "line one\nline two\r\nline three"),
    ("only whitespace", " \t\n "),
    # Direction and invisible characters.
    ("right-to-left override", "abc\u202etxt.exe"),
    ("zero-width joiner family", "\U0001f468\u200d\U0001f469\u200d\U0001f467"),
    ("zero-width space", "a\u200bb"),
    ("byte order mark", "\ufeffname"),
    ("emoji", "\U0001f3ee lantern"),
    ("combining marks", "Z\u0351\u0300\u0301\u0302\u0303a\u0304\u0305lgo"),
    ("full-width", "ＧＥＮＴ"),
    ("astral plane", "\U0001d54f\U00020000"),
    # Markup and script.
    ("script tag", "<script>alert(1)</script>"),
    ("event handler", '" onmouseover="alert(1)'),
    ("img onerror", "<img src=x onerror=alert(1)>"),
    ("javascript url", "javascript:alert(1)"),
    ("closing tags", "</title></textarea></script>"),
    ("CDATA end", "]]>"),
    ("XML special", "& < > \" '"),
    ("XML entity", "&lt;&#0;&#x1;&amp;"),
    ("XML declaration", '<?xml version="1.0"?>'),
    ("innocent story words", "Key data: the lantern arrived in 1971. An onion = a vegetable"),
    # SQL-ish and paths.
    ("sql quote", "' OR 1=1 --"),
    ("sql drop", "'); DROP TABLE stops; --"),
    ("like wildcards", "%_%\\"),
    ("path traversal", "../../etc/passwd"),
    ("url encoded NUL", "%00"),
    # Numbers that are not.
    ("NaN", "NaN"),
    ("huge number", "1e309"),
    ("negative zero", "-0"),
    # Length.
    ("long", "x" * 5000),
    ("very long", "\u3042" * 60_000),
]

HOSTILE_TEXTS = [text for _, text in HOSTILE_INPUTS]

# What no stored text may hold: C0 controls (tab, line feed and carriage return aside), lone surrogates and the
# non-characters U+FFFE/U+FFFF. Kept here independently of the server's own rule, so the tests check it.
NEVER_STORED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
