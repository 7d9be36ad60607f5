"""Import limits (issue 26): small files cannot hang the import or exhaust memory; every refusal is one Dutch sentence.
Real files, the real CLI in a subprocess, the child's peak memory from getrusage (issue 24: `import -`)."""
from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.support.foundation_helpers import APP, ROOT, run_cli

MEMORY_LIMIT_KB = 200 * 1024
MEASURE = """
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
sys.stdout.write(f"{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}\\n{done.returncode}\\n")
sys.stderr.write(done.stderr)
"""


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty database whose beheerder is admin, made by the real CLI."""
    path = tmp_path_factory.mktemp("import-limits") / "template.db"
    assert run_cli("init", db=str(path)).code == 0
    return path


@pytest.fixture
def database(template: Path, tmp_path: Path) -> str:
    """A copy of the empty database for this test."""
    path = tmp_path / "k.db"
    path.write_bytes(template.read_bytes())
    return str(path)


def refused(done, *words: str) -> None:
    """Exit 2 with one Dutch sentence on standard error that holds every word, and no traceback."""
    assert done.code == 2, done
    assert "Traceback" not in done.err and done.err.strip().count("\n") == 0, done.err
    for word in words:
        assert word in done.err, done.err


def customer_count(database: str) -> int:
    """How many customers the database holds (read by the CLI)."""
    done = run_cli("export", "-", "--fields", "number", db=database)
    return len(done.out.splitlines()) - 1


def peak_memory_kb(*args: str) -> tuple[int, int, str]:
    """Run app.py ARGS in a grandchild; its peak resident memory (KB), exit code and standard error."""
    command = [sys.executable, "-c", MEASURE, sys.executable, APP, *args]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=600,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    peak, code = done.stdout.split()
    return int(peak), int(code), done.stderr


def rewrite_part(path: Path, part: str, change) -> None:
    """Replace one part of an .xlsx (zip) with change(old text)."""
    with zipfile.ZipFile(path) as source:
        items = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in items:
            if info.filename == part:
                data = change(data.decode("utf-8")).encode("utf-8")
            target.writestr(info.filename, data)


SHARED_TYPE = ('<Override PartName="/xl/sharedStrings.xml" '
               'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')


def with_shared_strings(path: Path, pieces) -> Path:
    """Make A2 of a small_book cell refer to shared string 0, the shared strings written from `pieces` (text chunks,
    streamed: a part of hundreds of MB is never held whole), as Excel stores text."""
    with zipfile.ZipFile(path) as source:
        items = [(info.filename, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in items:
            if name == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<c r="A2" t="inlineStr"><is><t>PLAATS</t></is></c>', b'<c r="A2" t="s"><v>0</v></c>')
                assert b'<v>0</v>' in data
            if name == "[Content_Types].xml":
                data = data.replace(b"</Types>", SHARED_TYPE.encode() + b"</Types>")
            target.writestr(name, data)
        with target.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            for piece in pieces:
                part.write(piece.encode("utf-8"))
            part.write(b"</sst>")
    return path


def one_long_text(character: str, length: int):
    """One shared string of `length` characters, in chunks."""
    yield "<si><t>"
    for _ in range(length // 1_000_000):
        yield character * 1_000_000
    yield character * (length % 1_000_000) + "</t></si>"


def small_book(path: Path, rows: list[list[object]]) -> Path:
    """An .xlsx with a Naam header and the rows (shared strings, as Excel writes them, come from openpyxl's writer)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Naam", "Nummer"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_an_xlsx_with_cells_in_xfd1_and_a1048576_finishes_in_seconds(database: str, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"], sheet["B1"], sheet["A2"], sheet["B2"] = "Naam", "Nummer", "Verre Hoek BV", 7
    sheet["XFD1"] = "x"
    sheet["A1048576"] = "Onderaan NV"
    path = tmp_path / "ver.xlsx"
    book.save(path)
    with zipfile.ZipFile(path) as archive:
        assert b'<dimension ref="A1:XFD1048576"' in archive.read("xl/worksheets/sheet1.xml")
    done = run_cli("import", str(path), "--dry-run", db=database, timeout=60)
    assert done.code == 0 and "1 klant zou aangemaakt" in done.out, done  # in seconds, not hours
    del sheet["XFD1"]
    book.save(path)
    rewrite_part(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace('<dimension ref="A1:B1048576"', '<dimension ref="A1:XFD1048576"'))
    done = run_cli("import", str(path), db=database, timeout=60)
    assert done.code == 0 and "1 klant aangemaakt" in done.out, done  # stops after 1,000 empty rows


def test_a_huge_cell_in_a_small_xlsx_is_refused_without_reading_it(database: str, tmp_path: Path) -> None:
    for length, words in ((250_000_000, "uitgepakt groter dan 200 MB"), (30_000_000, "meer dan 10 MB tekst")):
        path = with_shared_strings(small_book(tmp_path / "groot.xlsx", [["PLAATS", 1]]), one_long_text("a", length))
        assert path.stat().st_size < 1_000_000
        peak, code, err = peak_memory_kb("import", str(path), "--db", database, "--operator", "admin")
        assert code == 2 and words in err and "Traceback" not in err, err
        assert peak < MEMORY_LIMIT_KB, peak
    path = with_shared_strings(small_book(tmp_path / "cel.xlsx", [["PLAATS", 1]]), one_long_text("b", 150_000))
    refused(run_cli("import", str(path), db=database), "regel 2", "langer dan 100.000 tekens")
    path = small_book(tmp_path / "inline.xlsx", [["PLAATS", 1]])  # text in the cell itself, as openpyxl writes it
    rewrite_part(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace("PLAATS", "c" * 5_000_000))
    refused(run_cli("import", str(path), db=database), "regel 2", "langer dan 100.000 tekens")
    assert customer_count(database) == 0


def test_the_mapping_file_must_be_a_small_regular_file(database: str, tmp_path: Path) -> None:
    data = tmp_path / "k.csv"
    data.write_text("Naam;Nummer\nEen BV;1\n", encoding="utf-8")
    refused(run_cli("import", str(data), "--mapping", "/dev/zero", db=database, timeout=30), "geen gewoon bestand")
    big = tmp_path / "map.toml"
    big.write_text("[kolommen]\n" + "".join(f'"kolom {i}" = "name"\n' for i in range(600)), encoding="utf-8")
    refused(run_cli("import", str(data), "--mapping", str(big), db=database), "te groot", "8 KB")
    refused(run_cli("import", "/dev/zero", db=database, timeout=30), "geen gewoon bestand")
    assert customer_count(database) == 0


@pytest.mark.parametrize("attack", ["xxe", "laughs"])
def test_xml_attacks_in_an_xlsx_get_one_dutch_sentence(database: str, tmp_path: Path, attack: str) -> None:
    path = small_book(tmp_path / f"{attack}.xlsx", [["PLAATS", 1]])
    if attack == "xxe":
        secret = tmp_path / "geheim.txt"
        secret.write_text("GEHEIM")
        doctype = f'<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file://{secret}">]>'
        body = "&xxe;"
    else:
        doctype = ('<!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">' + "".join(
            f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)) + "]>")
        body = "&i;"

    def poison(xml: str) -> str:
        start = xml.index("<sst")
        return xml[:start] + doctype + xml[start:].replace("Gewoon BV", body)

    with_shared_strings(path, ["<si><t>Gewoon BV</t></si>"])
    rewrite_part(path, "xl/sharedStrings.xml", poison)
    for command in (["import", str(path), "--dry-run"], ["import", str(path)]):
        done = run_cli(*command, db=database, timeout=60)
        refused(done, "DOCTYPE")
        assert "GEHEIM" not in done.out + done.err
    assert customer_count(database) == 0


def test_a_csv_that_is_neither_utf8_nor_windows_1252_is_one_dutch_sentence(database: str, tmp_path: Path) -> None:
    path = tmp_path / "vreemd.csv"
    path.write_bytes(b"Naam;Nummer\nCaf\x81 BV;1\n")
    refused(run_cli("import", str(path), db=database), "UTF-8", "0x81")


def test_a_header_line_over_131072_characters_is_one_dutch_sentence(database: str, tmp_path: Path) -> None:
    path = tmp_path / "breed.csv"
    path.write_text("Naam;" + "x" * 140_000 + "\nEen BV;1\n", encoding="utf-8")
    refused(run_cli("import", str(path), db=database), "eerste regel")
    path.write_text("Naam;Opmerkingen\nEen BV;" + "y" * 140_000 + "\n", encoding="utf-8")
    refused(run_cli("import", str(path), db=database), "regel 2", "langer dan 100.000 tekens")
    assert customer_count(database) == 0


def test_a_file_over_50_mb_is_refused_before_it_is_read(database: str, tmp_path: Path) -> None:
    path = tmp_path / "reus.csv"
    with path.open("wb") as handle:
        handle.write(b"Naam;Nummer\n")
        handle.truncate(51 * 1024 * 1024)
    refused(run_cli("import", str(path), db=database), "te groot", "50 MB")


def test_memory_stays_under_200_mb_for_files_at_the_limits(database: str, tmp_path: Path) -> None:
    wide = tmp_path / "breed.csv"
    wide.write_text("Naam;Nummer\nEen BV;1;" + ";" * 990_000 + "\n", encoding="utf-8")  # one row of ~1,000,000 cells
    peak, code, err = peak_memory_kb("import", str(wide), "--dry-run", "--db", database, "--operator", "admin")
    assert code == 0 and peak < MEMORY_LIMIT_KB, (peak, err)
    strings = tmp_path / "teksten.xlsx"  # shared strings just under their limit: 430,000 different short texts
    small_book(strings, [["PLAATS", 1]])
    with_shared_strings(strings, ["<si><t>Een BV</t></si>", *(f"<si><t>t{i:07d}</t></si>" for i in range(430_000))])
    peak, code, err = peak_memory_kb("import", str(strings), "--dry-run", "--db", database, "--operator", "admin")
    assert code == 0 and peak < MEMORY_LIMIT_KB, (peak, err)
    rows = tmp_path / "rijen.csv"  # many valid rows: the check pass spools them, the store pass batches them
    with rows.open("w", encoding="utf-8") as handle:
        handle.write("Nummer;Naam;Opmerkingen\n")
        for number in range(1, 60_001):
            handle.write(f"{number};Klant {number} BV;{'o' * 600}\n")
    peak, code, err = peak_memory_kb("import", str(rows), "--db", database, "--operator", "admin")
    assert code == 0 and peak < MEMORY_LIMIT_KB, (peak, err)


def test_dash_reads_a_csv_from_standard_input_and_refuses_an_xlsx_there(database: str, tmp_path: Path) -> None:
    command = [sys.executable, APP, "import", "-", "--db", database, "--operator", "admin"]
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(command, input="Naam;Nummer\nVan Stdin BV;5\nFout;x\n".encode("cp1252"), capture_output=True,
                          cwd=tmp_path, env=environment, timeout=60)
    assert done.returncode == 0 and "1 klant aangemaakt" in done.stdout.decode(), done
    assert (tmp_path / "stdin.fouten.csv").is_file() and not (tmp_path / "-.fouten.csv").exists()
    book = small_book(tmp_path / "w.xlsx", [["Excel BV", 6]])
    done = subprocess.run(command, input=book.read_bytes(), capture_output=True, cwd=tmp_path, env=environment, timeout=60)
    assert done.returncode == 2 and "alleen CSV" in done.stderr.decode() and b"Traceback" not in done.stderr, done
    assert customer_count(database) == 1
