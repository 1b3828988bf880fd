"""Reading a quiz page's form into responses (see lms.learning.scoring for their shapes)."""

from __future__ import annotations

from typing import Any

from werkzeug.datastructures import MultiDict

MAX_TEXT = 500


def field_name(question_id: str, part: str = "") -> str:
    return f"q-{question_id}-{part}" if part else f"q-{question_id}"


def responses_from_form(questions: list[dict[str, Any]], form: MultiDict) -> dict[str, Any]:
    """The responses to the questions that were on the submitted page.

    A question counts as on the page when its ``present`` marker was sent, so that clearing a
    multiple-choice question saves "nothing ticked" rather than keeping the old ticks.
    """
    shown = set(form.getlist("present"))
    responses: dict[str, Any] = {}
    for question in questions:
        qid, kind = question["id"], question["type"]
        if qid not in shown:
            continue
        if kind == "multiple_choice":
            known = {c["id"] for c in question["choices"]}
            responses[qid] = [c for c in form.getlist(field_name(qid)) if c in known]
        elif kind in ("single_choice", "true_false"):
            value = form.get(field_name(qid))
            allowed = {c["id"] for c in question.get("choices", [])} | {"true", "false"}
            if value in allowed:
                responses[qid] = value
        elif kind in ("short_answer", "numeric"):
            value = form.get(field_name(qid), "").strip()[:MAX_TEXT]
            if value:
                responses[qid] = value
        elif kind == "ordering":
            positions = []
            for index, item in enumerate(question["items"]):
                raw = form.get(field_name(qid, item["id"]), "")
                position = int(raw) if raw.isdigit() else len(question["items"]) + index + 1
                positions.append((position, index, item["id"]))
            if any(form.get(field_name(qid, item["id"])) for item in question["items"]):
                responses[qid] = [item_id for _, _, item_id in sorted(positions)]
        elif kind == "matching":
            known = {p["id"] for p in question["pairs"]}
            chosen = {
                pair["id"]: form.get(field_name(qid, pair["id"]))
                for pair in question["pairs"]
                if form.get(field_name(qid, pair["id"])) in known
            }
            if chosen:
                responses[qid] = chosen
    return responses
