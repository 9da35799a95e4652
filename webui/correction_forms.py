"""The correction form's fields (filled from a record, read back from a request) and how the
document page shows corrected values and a letter's history."""

from __future__ import annotations

from typing import Any

from flask import request

from ingest.curation.corrections import FIELDS, field_value

from .formatting import format_date

EXTRA_TASK_ROWS = 3  # blank rows the form offers for tasks the machine missed
AUTHORITIES = ("", "TM.", "KT.", "TL.", "TUQ.", "Q.")


# -- the form ---------------------------------------------------------------------------------


def form_values(meta: Any) -> dict[str, Any]:
    """The form's fields filled from a record (what `submitted` reads back)."""
    values = {name: field_value(meta, name) for name in FIELDS}
    signer = values.pop("signer")
    return {
        "reference": values["reference"] or "",
        "doc_type": values["doc_type"] or "",
        "issuer": values["issuer"] or "",
        "date": format_date(values["date"]) if values["date"] else "",
        "subject": values["subject"] or "",
        "recipients": "\n".join(values["recipients"]),
        "signer_name": signer["name"] or "",
        "signer_title": signer["title"] or "",
        "signer_authority": signer["authority"] or "",
        "distribution": "\n".join(values["distribution"]),
        "citations": "\n".join(values["citations"]),
        "tasks": [
            {"label": t["label"] or "", "text": t["text"], "assignees": "; ".join(t["assignees"]),
             "deadline": format_date(t["deadline"]) if t["deadline"] else ""}
            for t in values["tasks"]
        ] + [{"label": "", "text": "", "assignees": "", "deadline": ""}] * EXTRA_TASK_ROWS,
    }


def submitted() -> dict[str, Any]:
    """The form's fields as curation.corrections.parse_changes takes them; a field the request
    does not carry is left out (never read as emptied)."""
    form = request.form
    data: dict[str, Any] = {name: form[name] for name in _PLAIN if name in form}
    if any(f"signer_{part}" in form for part in ("name", "title", "authority")):
        data["signer"] = {part: form.get(f"signer_{part}", "")
                          for part in ("name", "title", "authority")}
    count = form.get("task_rows", "")
    if count.isdigit():
        data["tasks"] = [{part: form.get(f"task_{part}_{i}", "")
                          for part in ("label", "text", "assignees", "deadline")}
                         for i in range(min(int(count), 500))]
    return data


_PLAIN = ("reference", "doc_type", "issuer", "date", "subject", "recipients", "distribution",
          "citations")


def resubmitted_form() -> dict[str, Any]:
    """What the clerk typed, to show again on the form beside the errors."""
    data = {**dict.fromkeys(_PLAIN, ""), "tasks": [], **submitted()}
    signer = data.pop("signer", {})
    data.update(signer_name=signer.get("name", ""), signer_title=signer.get("title", ""),
                signer_authority=signer.get("authority", ""))
    return data


# -- how the page shows values and changes ----------------------------------------------------


FIELD_LABELS = {**FIELDS, "note": "Ghi chú"}


def display_value(name: str, value: Any) -> str:
    """A field's value in one line for the page's history and marks ('—' for none)."""
    if value in (None, "", [], {}):
        return "—"
    if name == "date":
        return format_date(value)
    if name == "signer":
        return " ".join(filter(None, (value.get("authority"), value.get("title"),
                                      value.get("name")))) or "—"
    if name == "tasks":
        return "; ".join(
            " ".join(filter(None, (t.get("label"), t.get("text"))))
            + (f" ({', '.join(t['assignees'])})" if t.get("assignees") else "")
            + (f", hạn {format_date(t['deadline'])}" if t.get("deadline") else "")
            for t in value)
    if isinstance(value, list):
        return "; ".join(map(str, value))
    return str(value)


def format_time(value: str | None) -> str:
    """An ISO time (UTC) as 'HH:MM dd/mm/yyyy (UTC)'."""
    if not value:
        return ""
    day, _, clock = value.partition("T")
    return f"{clock[:5]} {format_date(day)} (UTC)"
