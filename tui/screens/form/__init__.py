"""The customer form: one screen (screen.py) and one small widget per tab, shown from a draft in data/drafts.py."""
