"""The command line, in one package: the parser (parser.py, Dutch argparse texts in argparse_nl.py), the command table
(commands.py) with one handler module per command family, and the output (format.py, progress.py, errors.py).

It lives under data/ because the repository's top level is fixed (tui/, data/, tests/, app.py); app.py routes to it.
Screens import nothing from here: text that both need lives with the rule it describes (e.g. dossiers.owner_then).
"""
