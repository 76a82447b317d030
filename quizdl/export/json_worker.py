"""A worker process of a parallel JSON backup (see json_parallel): it encodes the blocks of
one id range of a table, read from a SQLite file, into a part file.

Run as `python -m quizdl.export.json_worker`; the job comes as JSON on stdin. After each
block it prints the rows done so far on stdout; at the end, `done N`. It imports the
standard library and orjson only, so that it is running within a few tens of milliseconds.
"""

from __future__ import annotations

from typing import Any

from quizdl.export.json_encoding import ready_rows, write_block
from quizdl.export.worker_protocol import connect, serve


def _params(query: dict[str, Any], **values: int) -> list[Any]:
    given = {**query["values"], **values}
    return [given[name] for name in query["names"]]


def run(job: dict[str, Any]) -> int:
    """Encode the blocks with ids in [low, high) into job["out"]; returns the rows written."""
    block, following, size = job["block"], job["following"], int(job["block_size"])
    low, high = int(job["low"]), int(job["high"])
    bools: list[int] = job["bools"]
    floats: list[int] = job["floats"]
    connection = connect(job)
    written = 0
    try:
        connection.execute("BEGIN")  # one read snapshot for the whole range
        with open(job["out"], "wb", buffering=1 << 20) as out:
            start: Any = connection.execute(
                following["sql"], _params(following, lo=low)
            ).fetchone()[0]
            while start is not None and start < high:
                first = int(start) - int(start) % size
                rows = connection.execute(block["sql"], _params(block, lo=first, hi=first + size))
                found = rows.fetchall()
                if found:
                    write_block(out, ready_rows(found, bools, floats), first=False)
                    written += len(found)
                    print(written, flush=True)
                start = connection.execute(
                    following["sql"], _params(following, lo=first + size)
                ).fetchone()[0]
        connection.execute("ROLLBACK")
    finally:
        connection.close()
    return written


def main() -> int:
    return serve(run)


if __name__ == "__main__":
    raise SystemExit(main())
