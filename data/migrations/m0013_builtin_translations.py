"""Version 13: the built-in reference entries get their French (fr_BE) and English labels (issue 20).

Every database got the same built-in entries in Dutch (version 1); their `label_fr` / `label_en` (version 10)
stayed empty, so a French operator read "Bedrijf" and "België". This step fills them:
- the lists below (the glossary's terms): only where the label of that language is empty and the Dutch label is
  still the built-in one, so an entry the office renamed or translated keeps what the office typed;
- countries: pycountry's own ISO 3166 names (French catalogue; English is the ISO name itself), the source of the
  Dutch names too; only where the label of that language is empty (the office does not edit countries).
A database made after this version gets them at `init`, as every step runs on a new database.

Frozen: this step carries its own table (later edits to the catalogues never change what it writes).
"""
from __future__ import annotations

from peewee import Database

# kind -> (code, Dutch label as version 1 wrote it, French, English)
BUILT_IN: dict[str, list[tuple[str, str, str, str]]] = {
    "language": [
        ("nl-BE", "Nederlands (BE)", "Néerlandais (BE)", "Dutch (BE)"),
        ("fr-BE", "Frans (BE)", "Français (BE)", "French (BE)"),
        ("de-BE", "Duits (BE)", "Allemand (BE)", "German (BE)"),
        ("en", "Engels", "Anglais", "English"),
    ],
    "vat_rate": [("0", "0 %", "0 %", "0%"), ("6", "6 %", "6 %", "6%"), ("12", "12 %", "12 %", "12%"),
                 ("21", "21 %", "21 %", "21%")],
    "customer_type": [("bedrijf", "Bedrijf", "Entreprise", "Company"),
                      ("particulier", "Particulier", "Particulier", "Private person")],
    "legal_form": [("rechtspersoon", "Rechtspersoon", "Personne morale", "Legal entity"),
                   ("natuurlijk_persoon", "Natuurlijk persoon", "Personne physique", "Natural person")],
    "salutation": [
        ("dhr", "Dhr.", "M.", "Mr"),
        ("mevr", "Mevr.", "Mme", "Ms"),
        ("dhr_mevr", "Dhr. en Mevr.", "M. et Mme", "Mr and Ms"),
        ("fam", "Fam.", "Famille", "Family"),
        ("firma", "Firma", "Société", "Company"),
    ],
    "payment_condition": [
        ("contant", "Contant", "Comptant", "Cash"),
        ("14_dagen", "14 dagen na factuurdatum", "14 jours date de facture", "14 days after invoice date"),
        ("30_dagen", "30 dagen na factuurdatum", "30 jours date de facture", "30 days after invoice date"),
        ("30_dagen_em", "30 dagen einde maand", "30 jours fin de mois", "30 days end of month"),
        ("60_dagen", "60 dagen na factuurdatum", "60 jours date de facture", "60 days after invoice date"),
        ("domiciliering", "Domiciliëring", "Domiciliation", "Direct debit"),
    ],
    "discount_scheme": [
        ("geen", "Geen korting", "Pas de remise", "No discount"),
        ("onderdelen_5", "5 % op onderdelen", "5 % sur les pièces", "5% on parts"),
        ("onderdelen_10", "10 % op onderdelen", "10 % sur les pièces", "10% on parts"),
        ("arbeid_10", "10 % op arbeid", "10 % sur la main-d'œuvre", "10% on labour"),
        ("vloot", "Vlootkorting", "Remise flotte", "Fleet discount"),
    ],
    "price_list": [
        ("standaard", "Standaard", "Standard", "Standard"),
        ("verzekeraar", "Verzekeraar", "Assureur", "Insurer"),
        ("vloot", "Vlootbeheer", "Gestion de flotte", "Fleet management"),
        ("particulier", "Particulier", "Particulier", "Private person"),
    ],
    "internal_account": [
        ("400000", "400000 Handelsdebiteuren", "400000 Clients", "400000 Trade debtors"),
        ("400100", "400100 Debiteuren verzekeraars", "400100 Clients assureurs", "400100 Insurer debtors"),
        ("400200", "400200 Debiteuren buitenland", "400200 Clients étrangers", "400200 Foreign debtors"),
        ("407000", "407000 Dubieuze debiteuren", "407000 Créances douteuses", "407000 Doubtful debtors"),
    ],
    "block_reason": [
        ("wanbetaling", "Wanbetaling", "Défaut de paiement", "Non-payment"),
        ("fraude", "Fraude", "Fraude", "Fraud"),
        ("geschil", "Geschil", "Litige", "Dispute"),
        ("op_vraag_van_de_klant", "Op vraag van de klant", "À la demande du client", "At the customer's request"),
        ("andere", "Andere", "Autre", "Other"),
    ],
}
COLUMNS = ("label_fr", "label_en")


def countries() -> list[tuple[str, str, str]]:
    """(alpha-2, French name, English name) of every ISO 3166 country, from pycountry (as version 1's Dutch names)."""
    import gettext

    import pycountry

    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"], fallback=True)
    return [(c.alpha_2, french.gettext(c.name), c.name) for c in pycountry.countries]


def _fill(db: Database) -> None:
    """Fill the empty French and English labels of the built-in entries (never one the office typed)."""
    mark = db.param
    empty = "(label_fr IS NULL OR label_fr = '')", "(label_en IS NULL OR label_en = '')"
    listed = [(f"UPDATE reference_item SET {column} = {mark} WHERE kind = {mark} AND code = {mark} "
               f"AND label = {mark} AND {blank}", column) for column, blank in zip(COLUMNS, empty)]
    for kind, rows in BUILT_IN.items():
        for code, dutch, french, english in rows:
            for (sql, column), text in zip(listed, (french, english)):
                db.execute_sql(sql, (text, kind, code, dutch))
    for code, french, english in countries():
        for column, blank, text in zip(COLUMNS, empty, (french, english)):
            db.execute_sql(f"UPDATE reference_item SET {column} = {mark} WHERE kind = 'country' AND code = {mark} "
                           f"AND {blank}", (text, code))


def sqlite(db: Database) -> None:
    """Fill the built-in entries' French and English labels."""
    _fill(db)


def postgresql(db: Database) -> None:
    """Fill the built-in entries' French and English labels (the same statements; %s parameters)."""
    _fill(db)
