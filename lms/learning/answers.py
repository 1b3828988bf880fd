"""Reading a quiz page's form into responses (see lms.learning.scoring for their shapes)."""

from __future__ import annotations

import re
from typing import Any

from werkzeug.datastructures import MultiDict

from lms.learning.scoring import parse_number

MAX_TEXT = 500
_POSITION = re.compile(r"[0-9]{1,3}")


def field_name(question_id: str, part: str = "") -> str:
    return f"q-{question_id}-{part}" if part else f"q-{question_id}"


def responses_from_form(
    questions: list[dict[str, Any]], layout: dict[str, Any], form: MultiDict, locale: str = "en"
) -> dict[str, Any]:
    """The responses to the questions that were on the submitted page.

    A question counts as on the page when its ``present`` marker was sent; a question that is
    there but left empty saves an empty answer, so that clearing an answer clears it.
    Options arrive as the attempt's tokens and are turned back into option ids here.

    :param locale: the language the counsellor typed numbers in ("1.000" is a thousand in
        Indonesian, one in English).
    """
    shown = set(form.getlist("present"))
    tokens: dict[str, dict[str, str]] = layout.get("tokens", {})
    responses: dict[str, Any] = {}
    for question in questions:
        qid, kind = question["id"], question["type"]
        if qid not in shown:
            continue
        option_of = tokens.get(qid, {})
        if kind == "multiple_choice":
            responses[qid] = sorted(
                {option_of[t] for t in form.getlist(field_name(qid)) if t in option_of}
            )
        elif kind == "single_choice":
            responses[qid] = option_of.get(form.get(field_name(qid), ""), "")
        elif kind == "true_false":
            value = form.get(field_name(qid), "")
            responses[qid] = value if value in ("true", "false") else ""
        elif kind == "short_answer":
            responses[qid] = form.get(field_name(qid), "").strip()[:MAX_TEXT]
        elif kind == "numeric":
            text = form.get(field_name(qid), "").strip()[:40]
            responses[qid] = {"text": text, "value": parse_number(text, locale)} if text else ""
        elif kind == "ordering":
            count = len(question["items"])
            positions = []
            for index, item in enumerate(question["items"]):
                raw = form.get(field_name(qid, item["id"]), "")
                position = int(raw) if _POSITION.fullmatch(raw) else count + index + 1
                positions.append((position, index, item["id"]))
            given = any(
                _POSITION.fullmatch(form.get(field_name(qid, i["id"]), ""))
                for i in question["items"]
            )
            responses[qid] = [item_id for _, _, item_id in sorted(positions)] if given else []
        elif kind == "matching":
            responses[qid] = {
                pair["id"]: option_of[form.get(field_name(qid, pair["id"]), "")]
                for pair in question["pairs"]
                if form.get(field_name(qid, pair["id"]), "") in option_of
            }
    return responses
