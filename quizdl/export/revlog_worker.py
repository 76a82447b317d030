"""The worker process of a two-process revlog export (see revlog): it runs the query of the
later half of the review log on a SQLite file and writes the CSV lines into a part file.

Run as `python -m quizdl.export.revlog_worker`; the job comes as JSON on stdin:
{"database", "query": {"sql", "names", "values"} (ReadSnapshot.for_driver), "out"}. After
each batch it prints the rows done so far on stdout; at the end, `done N` (the protocol of
json_parallel.start_worker). It imports the standard library only, so that it is running
within a few tens of milliseconds. The CSV of a batch is made here, by the same function
as in the exporting process, so both halves are written alike.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from quizdl.export.worker_protocol import connect, serve

BATCH_ROWS = 10_000
FIELDS_AFTER_CARD = 4  # review_time, review_rating, review_state, review_duration


def csv_block(lines: list[str]) -> bytes:
    """The lines as CSV. Card ids never hold a comma, a quote or a line break (they are
    slugs), so the lines are CSV as they are; if one ever did, it is quoted here, the
    other fields being numbers."""
    text = "\n".join(lines) + "\n"
    plain = (
        '"' not in text
        and "\r" not in text
        and text.count(",") == FIELDS_AFTER_CARD * len(lines)
        and text.count("\n") == len(lines)
    )
    if plain:
        return text.encode()
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(
        line.rsplit(",", FIELDS_AFTER_CARD) for line in lines
    )
    return buffer.getvalue().encode()


def run(job: dict[str, Any]) -> int:
    """Write the CSV lines the job's query selects into job["out"]; returns the rows written."""
    query = job["query"]
    params = [query["values"][name] for name in query["names"]]
    connection = connect(job)
    written = 0
    try:
        # One statement reads one snapshot; the exporting process keeps writers out
        # until this process is done, so it is the snapshot the first half was read in.
        cursor = connection.execute(query["sql"], params)
        with open(job["out"], "wb", buffering=1 << 20) as out:
            while rows := cursor.fetchmany(BATCH_ROWS):
                out.write(csv_block([row[0] for row in rows]))
                written += len(rows)
                print(written, flush=True)
    finally:
        connection.close()
    return written


def main() -> int:
    return serve(run)


if __name__ == "__main__":
    raise SystemExit(main())
