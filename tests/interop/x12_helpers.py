"""Validate X12 files with pyx12 (a test-only dependency) in-process.

`assert_valid_x12(data)` fails with every error pyx12 reports, one per line, with the
segment and element it points at, so a failing test says what to fix.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pyx12.params
import pyx12.x12n_document


class _Collect(logging.Handler):
    """pyx12 reports some failures (unreadable file, missing map) only to its logger."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _errors_in(tree: dict[str, Any]) -> Iterator[str]:
    """Flatten pyx12's JSON error tree (interchange / group / transaction / segment /
    element) into readable lines."""
    for isa in tree.get("interchanges", []):
        for err in isa["errors"]:
            yield f"ISA: {err['err_cde']} {err['err_str']}"
        for gs in isa["groups"]:
            for err in gs["errors"]:
                yield f"GS {gs['gs_control_num']}: {err['err_cde']} {err['err_str']}"
            for st in gs["transactions"]:
                for err in st["errors"]:
                    yield f"ST {st['trn_set_control_num']}: {err['err_cde']} {err['err_str']}"
                for seg in st["segments"]:
                    where = f"segment {seg['seg_count']} {seg['seg_id']} (line {seg['cur_line']})"
                    for err in seg["errors"]:
                        yield f"{where}: {err['err_cde']} {err['err_str']} [{err['err_val']}]"
                    for ele in seg["elements"]:
                        for err in ele["errors"]:
                            yield (
                                f"{where} element {ele['ele_pos']}"
                                f"{'-' + str(ele['subele_pos']) if ele['subele_pos'] else ''}"
                                f" {ele['name']}: {err['err_cde']} {err['err_str']}"
                                f" [{err['err_val']}]"
                            )


def x12_errors(data: bytes) -> list[str]:
    """Every problem pyx12 finds in `data` (an empty list means the file is valid)."""
    logger = logging.getLogger("pyx12")
    collect = _Collect()
    logger.addHandler(collect)
    try:
        param = pyx12.params.params()
        json_out = io.StringIO()
        ok = pyx12.x12n_document.x12n_document(
            param=param,
            src_file=io.StringIO(data.decode("ascii")),
            # No 999 of pyx12's own: we only need its verdict, and its 999 builder fails
            # on a valid 835 (whose ST has no ST03).
            fd_997=None,
            fd_html=None,
            fd_json=json_out,
        )
    finally:
        logger.removeHandler(collect)
    # The JSON tree holds the same errors the logger repeats, with their place; the logger
    # alone knows why a file could not be read at all.
    found = list(_errors_in(json.loads(json_out.getvalue()))) if json_out.getvalue() else []
    if not found:
        found = list(collect.messages)
    if not ok and not found:
        found.append("pyx12 rejected the file without saying why")
    return found


def assert_valid_x12(data: bytes) -> None:
    errors = x12_errors(data)
    assert not errors, "pyx12 found errors:\n" + "\n".join(errors)
