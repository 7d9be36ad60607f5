"""Demo data (the seed's customer ABC and a few dozen others) and the synthetic generator."""
from __future__ import annotations

import contextlib
import datetime as dt
import random

from klantbeheer.data import customers, history, postcodes, session, staff
from klantbeheer.data.errors import BadInput
from klantbeheer.data.i18n import N_, _, ngettext
from klantbeheer.data.models import Customer, Repairer, Staff, database_proxy, now
from klantbeheer.data.progress import Progress
from klantbeheer.data.search import text as search_text
from klantbeheer.data.search import typos
from klantbeheer.data.session import data_function

ABC = {
    "name": "ABC", "number": 123, "external_ref": "5744", "email": "", "language": "nl-BE",
    "address": "HOGESTRAAT 53", "address2": "", "postcode": "8830", "city": "Hooglede", "country": "BE",
    "vat_number": "BE0867756456", "vat_rate": 21, "customer_type": "bedrijf", "legal_form": "rechtspersoon",
    "remarks": "100 % LIGHT" * 8, "show_remarks": False, "show_id_card": False,
}
REPAIRERS = [("Carrosserie Vandamme", "Roeselare"), ("Garage Dupont", "Namur"), ("Autoschade Claes", "Hasselt"), ("Carrosserie Lambert", "Liège")]
DEMO_STAFF = [("mvanwoensel", "Matthias Van Woensel", "beheerder"), ("lvermeulen", "Lotte Vermeulen", "medewerker")]
# (name, postcode, town, customer type, email, phone, blocked reason or None, block message)
DEMO_CUSTOMERS = [
    ("Hélène Dubois", "1000", "Brussel", "particulier", "helene.dubois@example.be", "02 512 34 56", None, ""),
    ("D'Hondt Bouw NV", "9000", "Gent", "bedrijf", "info@dhondtbouw.be", "09 223 45 67", "wanbetaling", "Drie facturen open sinds maart; eerst betalen."),
    ("Van den Broeck-Dupont", "2000", "Antwerpen", "particulier", "", "0478 12 34 56", None, ""),
    ("Jan Peeters", "3000", "Leuven", "particulier", "jan.peeters@example.be", "016 22 33 44", None, ""),
    ("Peeters Transport BV", "3500", "Hasselt", "bedrijf", "", "011 23 45 67", "wanbetaling", "Contacteer de boekhouding voor een afbetalingsplan."),
    ("Garage Lemaire SRL", "4000", "Liège", "bedrijf", "contact@lemaire.be", "04 223 11 22", None, ""),
    ("Françoise Lefèvre", "5000", "Namur", "particulier", "", "", None, ""),
    ("Janssens & Zonen", "8500", "Kortrijk", "bedrijf", "", "056 21 21 21", "geschil", "Lopend geschil over schadedossier 2025-00412."),
    ("Maes Logistics", "8800", "Roeselare", "bedrijf", "info@maeslogistics.be", "051 20 20 20", None, ""),
    ("Sofie Claes", "3500", "Hasselt", "particulier", "sofie.claes@example.be", "0486 55 44 33", None, ""),
    ("Willems Verhuur NV", "2800", "Mechelen", "bedrijf", "", "015 41 41 41", "fraude", "Valse documenten voorgelegd; niets aannemen zonder beheerder."),
    ("Mertens Dakwerken", "9100", "Sint-Niklaas", "bedrijf", "", "03 776 00 00", None, ""),
    ("Jacobs Thierry", "6000", "Charleroi", "particulier", "", "071 30 30 30", "op_vraag_van_de_klant", "Klant wil tijdelijk geen nieuwe dossiers."),
    ("Goossens Marc", "2300", "Turnhout", "particulier", "", "", None, ""),
    ("Dubois Carrosserie", "7000", "Mons", "bedrijf", "", "065 31 31 31", None, ""),
    ("Wouters Taxi BV", "1030", "Schaarbeek", "bedrijf", "", "02 245 45 45", "andere", "Zie opmerkingen in het dossier."),
    ("Vermeulen Els", "8400", "Oostende", "particulier", "els.vermeulen@example.be", "059 70 70 70", None, ""),
    ("Lambert Noël", "4800", "Verviers", "particulier", "", "", None, ""),
    ("Pauwels Bouw", "9300", "Aalst", "bedrijf", "", "053 77 77 77", None, ""),
    ("Desmet Agri", "8900", "Ieper", "bedrijf", "", "057 20 00 00", "wanbetaling", ""),
    ("Renard Zoé", "1300", "Wavre", "particulier", "", "", None, ""),
    ("Hermans Koeltechniek", "3600", "Genk", "bedrijf", "", "089 35 35 35", None, ""),
    ("Verstraete Gebroeders", "8000", "Brugge", "bedrijf", "", "050 33 33 33", None, ""),
    ("Martin Éloïse", "6700", "Arlon", "particulier", "", "", None, ""),
    ("Nijs Schrijnwerken", "2500", "Lier", "bedrijf", "", "", None, ""),
    ("Coppens Bart", "1800", "Vilvoorde", "particulier", "", "", None, ""),
]
FIRST_NAMES = [
    "Jan", "Marie", "Luc", "Sofie", "Pieter", "Hélène", "Noël", "Zoé", "Anaïs", "Jérôme", "Els", "Bram",
    "Lotte", "Françoise", "Wim", "Inès", "Thibault", "Ruben", "Chloé", "Koen",
]
LAST_NAMES = [
    "Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters", "De Smet",
    "Dubois", "Lambert", "Dupont", "Lefèvre", "Van den Broeck", "D'Hondt", "Vermeulen", "Pauwels", "Renard",
    "Van Damme", "Desmet", "Leclercq", "Hermans", "Michiels", "Gérard",
]
COMPANY_WORDS = ["Bouw", "Transport", "Garage", "Carrosserie", "Logistics", "Verhuur", "Dakwerken", "Agri", "Techniek", "Immo", "Consult", "Keukens", "Elektro"]
COMPANY_FORMS = ["NV", "BV", "SRL", "SA", "CommV", ""]
STREETS = [
    "Kerkstraat", "Stationsstraat", "Rue de la Gare", "Dorpstraat", "Nieuwstraat", "Rue de l'Église",
    "Hoogstraat", "Molenstraat", "Grand-Place", "Kapelstraat",
]


DEMO_ADMIN = "mvanwoensel"  # creates and blocks the demo customers in the demo database


def _demo_keys() -> dict[int, str]:
    """Number -> name of every demo customer (ABC and the realistic ones)."""
    return {ABC["number"]: ABC["name"], **{1001 + i: row[0] for i, row in enumerate(DEMO_CUSTOMERS)}}


@data_function
def has_demo() -> bool:
    """True when the demo customers are already there (ABC, number 123)."""
    return Customer.select().where((Customer.number == 123) & (Customer.name == ABC["name"])).exists()


@data_function
def real_customer_count() -> int:
    """How many customers are neither demo customers nor synthetic ones (created by 'demo')."""
    keys = _demo_keys()
    others = Customer.select().where(Customer.created_by != "demo").count()
    demo_rows = Customer.select(Customer.number, Customer.name, Customer.created_by).where(Customer.number.in_(list(keys)))
    return others - sum(1 for row in demo_rows if keys.get(row.number) == row.name and row.created_by != "demo")


def _check_may_add(operator: str, force: bool) -> None:
    """Refuse demo data in a database with real customers unless a beheerder forces it."""
    staff.require_beheerder(operator, N_("demodata toevoegen"))
    real = real_customer_count()
    if real and not force:
        raise BadInput(ngettext("Deze database bevat al {real} echte klant; demodata toevoegen kan alleen met --force "
                                "(beheerder). Gebruik anders --demo voor de aparte demodatabase.",
                                "Deze database bevat al {real} echte klanten; demodata toevoegen kan alleen met --force "
                                "(beheerder). Gebruik anders --demo voor de aparte demodatabase.", real).format(real=real))


@data_function
def load(operator: str, synthetic_count: int = 0, demo_database: bool = False, force: bool = False,
         progress: Progress | None = None) -> dict[str, int]:
    """The `demo` command: demo customers and `synthetic_count` synthetic ones, after the checks of load_demo."""
    if synthetic_count < 0:
        raise BadInput(_("Het aantal synthetische klanten kan niet negatief zijn."))
    _check_may_add(operator, force)
    # one transaction: a full disk or a stop stores nothing rather than part of the demo (the synthetic load alone
    # is one transaction already, and outside another one it may use its faster journal mode)
    with contextlib.nullcontext() if has_demo() else database_proxy.atomic():
        added = load_demo(operator, demo_database=demo_database, force=force)
        return {"demo": added, "synthetic": synthetic(synthetic_count, progress=progress)}


@data_function
def load_demo(operator: str, demo_database: bool = False, force: bool = False) -> int:
    """Add repairers, ABC and the realistic customers (some blocked); returns how many customers were added.

    Only a beheerder may, and not in a database with real customers unless force. The demo operators
    (DEMO_STAFF) are created only in the demo database, where they create and block the customers;
    elsewhere `operator` does.
    """
    if has_demo():
        return 0
    _check_may_add(operator, force)
    with database_proxy.atomic():  # all of the demo or none of it
        return _add_demo(operator, demo_database)


def _add_demo(operator: str, demo_database: bool) -> int:
    """load_demo's writes, inside its transaction."""
    admin = operator
    if demo_database:
        for username, full_name, role in DEMO_STAFF:
            if not Staff.select().where(Staff.username == username).exists():
                Staff.create(username=username, full_name=full_name, role=role, active=True)
        admin = DEMO_ADMIN
    for name, city in REPAIRERS:
        if not Repairer.select().where(Repairer.name == name).exists():
            position = Repairer.select().count()
            number = position + 1
            while Repairer.select().where(Repairer.code == f"H{number}").exists():  # the office's own codes stay
                number += 1
            Repairer.create(name=name, city=city, code=f"H{number}", position=position)
    customers.create(ABC, admin)
    for index, (name, postcode, town, kind, email, phone, reason, message) in enumerate(DEMO_CUSTOMERS):
        values = {
            "name": name, "number": 1001 + index, "postcode": postcode, "city": town, "customer_type": kind,
            "legal_form": "rechtspersoon" if kind == "bedrijf" else "natuurlijk_persoon", "email": email, "phone": phone,
            "address": f"{STREETS[index % len(STREETS)]} {index * 7 % 120 + 1}", "external_ref": f"EX{4000 + index * 13}",
            "vat_number": _vat(7_000_000 + index * 7919) if kind == "bedrijf" else "",
        }
        customers.create(values, admin)
        if reason:
            customers.block(1001 + index, reason, message, None, admin)
    return 1 + len(DEMO_CUSTOMERS)


def _vat(seed: int) -> str:
    """A valid Belgian VAT number from a seed: 0 + 7 digits + the mod-97 check."""
    first8 = f"0{1_000_000 + seed % 8_999_999:07d}"
    return f"BE{first8}{97 - int(first8) % 97:02d}"


SYNTHETIC_COLUMNS = [
    "number", "name", "external_ref", "email", "language", "address", "address2", "postcode", "city", "province",
    "country", "certificate_number", "vat_number", "vat_rate", "payment_condition", "discount_scheme", "price_list",
    "internal_account", "phone", "fax", "mobile", "customer_type", "legal_form", "salutation", "contact", "remarks",
    "show_remarks", "show_id_card", "blocked", "block_reason", "block_message", "blocked_by", "iban", "bic", "version",
    "created_at", "created_by", "updated_at", "updated_by", "name_norm", "search_text",
]
# Above this many rows the customer table's secondary indexes are dropped during the load and
# rebuilt after it (sorting once is much faster than a million random b-tree inserts).
BULK_REINDEX_FROM = 50_000


@data_function
def synthetic(count: int, seed: int = 1, batch: int = 20_000, progress: Progress | None = None) -> int:
    """Add `count` deterministic synthetic Belgian customers after the highest number; fast bulk load."""
    if count <= 0:
        return 0
    rng = random.Random(seed)
    codes = [code for code in postcodes.all_postcodes() if postcodes.towns(code)]
    # each postcode's towns (the official name first; Brussels' two by the customer's Taal) and its province
    places = {code: (postcodes.towns(code, "nl-BE"), postcodes.towns(code, "fr-BE"), postcodes.province(code)) for code in codes}
    start = customers.next_number()
    engine = session.engine()
    db = engine.db
    columns = SYNTHETIC_COLUMNS
    sql = f"INSERT INTO customer ({', '.join(columns)}) VALUES ({', '.join([db.param] * len(columns))})"
    stamp = now().isoformat(" ")  # as sqlite3 stores a datetime, converted once instead of per row
    with engine.bulk_load(drop_indexes=count >= BULK_REINDEX_FROM) as load:
        cursor = db.cursor()
        names: set[str] = set()
        for offset in range(0, count, batch):
            rows = [_synthetic_row(rng, start + i, codes, places, stamp) for i in range(offset, min(count, offset + batch))]
            names.update(row[1] for row in rows)
            cursor.executemany(sql, rows)
            if progress:
                progress(_("Synthetische klanten"), min(count, offset + batch), count)
        _record_created(start)
        if progress:
            progress(_("Historiek, indexen en zoekindex opbouwen"), 0, 0)
        # the typo vocabulary of these customers: the words of their names and towns (numbers and refs hold digits)
        load["words"] = set().union(
            *(typos.vocabulary_words(search_text.build({"name": name})[1]) for name in names),
            *(typos.vocabulary_words(search_text.build({"city": town})[1]) for dutch, french, _ in places.values()
              for town in {dutch[0], french[0]}),
        )
    return count


HISTORY_COLUMNS = ["name", "number", "external_ref", "language", "address", "postcode", "city", "province", "country",
                   "vat_number", "vat_rate", "customer_type", "legal_form"]


def _record_created(first_number: int) -> None:
    """One 'created' history event per synthetic customer, built by the database in one statement."""
    engine = session.engine()
    pairs = ", ".join(f"'{name}', {name}" for name in HISTORY_COLUMNS)
    history.record_select(
        f"SELECT id, number, 'created', {engine.json_object_sql(pairs)}, created_by, created_at FROM customer "
        f"WHERE number >= {engine.db.param}",
        (first_number,),
    )


def _synthetic_row(rng: random.Random, number: int, codes: list[str], places: dict[str, tuple[tuple[str, ...], tuple[str, ...], str]],
                   stamp: dt.datetime | str) -> tuple:
    """One synthetic customer, as values in SYNTHETIC_COLUMNS order: a company or a person with a real
    postcode and a valid VAT number (a tuple, not a dict: a million of them are made per load)."""
    company = rng.random() < 0.4
    last = rng.choice(LAST_NAMES)
    if company:
        name = f"{last} {rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_FORMS)}".strip()
    else:
        name = f"{last} {rng.choice(FIRST_NAMES)}"
    code = rng.choice(codes)
    ref = f"X{rng.randrange(10**6):06d}" if rng.random() < 0.5 else ""
    language = "nl-BE" if rng.random() < 0.6 else "fr-BE"
    dutch, french, province = places[code]
    town = (dutch if language == "nl-BE" else french)[0]
    address = f"{rng.choice(STREETS)} {rng.randrange(1, 200)}"
    vat = _vat(number) if company else ""
    name_norm, text = search_text.build(
        {"name": name, "number": number, "external_ref": ref, "vat_number": vat, "postcode": code, "city": town}
    )
    kind, form = ("bedrijf", "rechtspersoon") if company else ("particulier", "natuurlijk_persoon")
    return (
        number, name, ref, "", language, address, "", code, town, province,
        "BE", "", vat, 21, "", "", "", "",
        "", "", "", kind, form, "", "", "",
        False, False, False, "", "", "", "", "", 1,
        stamp, "demo", stamp, "demo", name_norm, text,
    )
