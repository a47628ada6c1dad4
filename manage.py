#!/usr/bin/env python3
"""Kotoji's command line: every operator task (setup, seed, import/export, users, serving).

The commands live in server/cli/, one module per group; `manage.py --help` lists them.
"""

from server.cli import cli

if __name__ == "__main__":
    cli()
