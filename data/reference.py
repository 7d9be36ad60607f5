"""Reference lists: the choices of the customer form (the database holds them; migration 1 seeded its own copy)."""
from __future__ import annotations

import functools
import gettext

from data.i18n import N_
from data.session import data_function

# The customer's language; the labels are msgids too, so a screen can show them in the operator's language.
LANGUAGES = [("nl-BE", N_("Nederlands (BE)")), ("fr-BE", N_("Frans (BE)")), ("de-BE", N_("Duits (BE)")), ("en", N_("Engels"))]
VAT_RATES = [("0", "0 %"), ("6", "6 %"), ("12", "12 %"), ("21", "21 %")]
CUSTOMER_TYPES = [("bedrijf", "Bedrijf"), ("particulier", "Particulier")]
LEGAL_FORMS = [("rechtspersoon", "Rechtspersoon"), ("natuurlijk_persoon", "Natuurlijk persoon")]
SALUTATIONS = [
    ("dhr", "Dhr."),
    ("mevr", "Mevr."),
    ("dhr_mevr", "Dhr. en Mevr."),
    ("fam", "Fam."),
    ("firma", "Firma"),
]
PAYMENT_CONDITIONS = [
    ("contant", "Contant"),
    ("14_dagen", "14 dagen na factuurdatum"),
    ("30_dagen", "30 dagen na factuurdatum"),
    ("30_dagen_em", "30 dagen einde maand"),
    ("60_dagen", "60 dagen na factuurdatum"),
    ("domiciliering", "Domiciliëring"),
]
DISCOUNT_SCHEMES = [
    ("geen", "Geen korting"),
    ("onderdelen_5", "5 % op onderdelen"),
    ("onderdelen_10", "10 % op onderdelen"),
    ("arbeid_10", "10 % op arbeid"),
    ("vloot", "Vlootkorting"),
]
PRICE_LISTS = [("standaard", "Standaard"), ("verzekeraar", "Verzekeraar"), ("vloot", "Vlootbeheer"), ("particulier", "Particulier")]
INTERNAL_ACCOUNTS = [
    ("400000", "400000 Handelsdebiteuren"),
    ("400100", "400100 Debiteuren verzekeraars"),
    ("400200", "400200 Debiteuren buitenland"),
    ("407000", "407000 Dubieuze debiteuren"),
]
BLOCK_REASONS = [
    ("wanbetaling", "Wanbetaling"),
    ("fraude", "Fraude"),
    ("geschil", "Geschil"),
    ("op_vraag_van_de_klant", "Op vraag van de klant"),
    ("andere", "Andere"),
]

# Empty prompts of the choice fields, exactly as in the glossary (msgids: translated where shown).
EMPTY_PROMPTS = {
    "repairer": N_("Selecteer een hersteller"),
    "payment_condition": N_("Selecteer een betalingsvoorwaarde"),
    "discount_scheme": N_("Selecteer een kortingsschema"),
    "price_list": N_("Selecteer een prijslijst"),
    "internal_account": N_("- Selecteer -"),
    "salutation": N_("(geen)"),
}


@functools.cache
def countries() -> list[tuple[str, str]]:
    """ISO 3166 countries as (alpha-2, Dutch name), België first, the rest alphabetical."""
    import pycountry  # imported on first use (the country list), not at start-up

    translation = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["nl"], fallback=True)
    names = [(c.alpha_2, translation.gettext(c.name)) for c in pycountry.countries]
    belgium = [item for item in names if item[0] == "BE"]
    rest = sorted((item for item in names if item[0] != "BE"), key=lambda item: item[1].casefold())
    return belgium + rest


@data_function
def choices(kind: str) -> list[tuple[str, str]]:
    """The (code, label) pairs of one reference list, read from the open database."""
    from data.models import ReferenceItem

    query = ReferenceItem.select().where(ReferenceItem.kind == kind).order_by(ReferenceItem.position)
    return [(item.code, item.label) for item in query]


@data_function
def repairer_choices() -> list[tuple[str, str]]:
    """The repairers (herstellers) as (id, 'name (city)'), by name."""
    from data.models import Repairer

    return [(str(r.id), f"{r.name} ({r.city})" if r.city else r.name) for r in Repairer.select().order_by(Repairer.name)]


@data_function
def label(kind: str, code: str | None) -> str:
    """The Dutch label of a code in a reference list, or '' when empty or unknown."""
    if not code:
        return ""
    return dict(choices(kind)).get(str(code), str(code))


@data_function
def match_code(kind: str, text: str) -> str | None:
    """Find a code by its code or label, case-insensitively (for the CLI)."""
    wanted = text.strip().casefold()
    for code, text_label in choices(kind):
        if wanted in (code.casefold(), text_label.casefold()):
            return code
    return None
