"""Reading and writing the customer form's widgets: stored values in, code-name values out."""
from __future__ import annotations

from typing import Any

from textual.dom import DOMNode
from textual.widgets import Checkbox, Input, Select, TextArea

from data import validation
from tui.screens.form_fields import FIELDS
from tui.widgets.postcode_field import CityInput


def display_value(name: str, value: Any) -> Any:
    """A stored value as the form shows it (phones national, VAT with dots, IBAN in groups)."""
    if name in ("show_remarks", "show_id_card"):
        return bool(value)
    if value is None:
        return ""
    if name in ("phone", "fax", "mobile"):
        return validation.format_phone(str(value))
    if name == "vat_number":
        return validation.format_vat(str(value))
    if name == "iban":
        return validation.format_iban(str(value))
    return str(value)


def fill_fields(root: DOMNode, values: dict[str, Any], choices: dict[str, list[tuple[str, str]]]) -> None:
    """Put stored values in the widgets under `root`; each choice box gets its options (an unknown code stays)."""
    for spec in FIELDS.values():
        if spec.kind == "choice":
            select = root.query_one(f"#{spec.name}", Select)
            options = [(label, code) for code, label in choices.get(spec.choices, [])]
            select.set_options(options)
            code = "" if values.get(spec.name) is None else str(values.get(spec.name))
            if code and code not in {c for _, c in options}:
                options.append((code, code))
                select.set_options(options)
            if code:
                select.value = code
            else:
                select.clear()
        elif spec.kind == "check":
            root.query_one(f"#{spec.name}", Checkbox).value = bool(values.get(spec.name))
        elif spec.kind == "memo":
            root.query_one(f"#{spec.name}", TextArea).text = str(values.get(spec.name) or "")
        elif spec.kind == "postcode":
            root.query_one("#postcode", Input).value = display_value("postcode", values.get("postcode"))
            root.query_one("#city", CityInput).value = display_value("city", values.get("city"))
        else:
            root.query_one(f"#{spec.name}", Input).value = display_value(spec.name, values.get(spec.name))


def read_fields(root: DOMNode) -> dict[str, Any]:
    """The values in the widgets under `root` by code name (choices as codes, '' when blank)."""
    values: dict[str, Any] = {}
    for spec in FIELDS.values():
        if spec.kind == "choice":
            select = root.query_one(f"#{spec.name}", Select)
            values[spec.name] = "" if select.is_blank() else str(select.value)
        elif spec.kind == "check":
            values[spec.name] = root.query_one(f"#{spec.name}", Checkbox).value
        elif spec.kind == "memo":
            values[spec.name] = root.query_one(f"#{spec.name}", TextArea).text
        elif spec.kind == "postcode":
            values["postcode"] = root.query_one("#postcode", Input).value
            values["city"] = root.query_one("#city", CityInput).value
        else:
            values[spec.name] = root.query_one(f"#{spec.name}", Input).value
    return values
