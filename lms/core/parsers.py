"""The API's JSON parser: DRF's, refusing with a 400 what the JSON module accepts but the rest of
the stack cannot take."""

from __future__ import annotations

import json
from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser as BaseJSONParser


class JSONParser(BaseJSONParser):
    """Refuses bodies nested too deeply to decode (a 2 KB body of 1,000 "[" exhausts Python's
    recursion limit) and strings with lone surrogates such as "\\ud800", which JSON allows but UTF-8,
    and so every database, does not."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - the document is nested too deeply.") from None
        try:
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise ParseError("JSON parse error - a string holds a lone surrogate code point.") from None
        except RecursionError:
            raise ParseError("JSON parse error - the document is nested too deeply.") from None
        return data
