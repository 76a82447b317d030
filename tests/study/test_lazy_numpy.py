"""numpy is loaded with the first generated question, not with the study: a start, and a
session of basic cards, go without it (importing it takes about 80 ms)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from quizdl.store import migrate
from quizdl.store.db import Database
from tests.study.conftest import SAMPLE_CONTENT, basic, write_kb

# Imports the study, runs a session of the content in argv[1] on the database argv[2], then
# shows the generated card argv[3] (if given); prints whether numpy was loaded after each step.
SESSION = """
import random, sys
from pathlib import Path

def numpy_loaded() -> str:
    return str('numpy' in sys.modules)

import quizdl.study.service as service
steps = ['import', numpy_loaded()]
from quizdl.kb.loader import load_or_raise
from quizdl.store.db import Database
kb = load_or_raise([Path(sys.argv[1])], shipped=False)
study = service.Study(Database(sys.argv[2]), kb, rng=random.Random(0))
study.start()
rated = 0
while (item := study.next_item()) is not None and item.expects == 'rating':
    study.rate(4)  # easy: out of today's queue
    rated += 1
steps += [f'rated-{rated}', numpy_loaded()]
if len(sys.argv) > 3:
    study.show(sys.argv[3])
    study.submit_answer('1')
    steps += ['generated', numpy_loaded()]
print(' '.join(steps))
"""


def run_session(content: Path, tmp_path: Path, *generated: str) -> str:
    url = f"sqlite:///{tmp_path / 'quizdl.db'}"
    database = Database(url)
    try:
        migrate.upgrade(database)
    finally:
        database.dispose()
    command = [sys.executable, "-c", SESSION, str(content), url, *generated]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_session_of_basic_cards_does_not_load_numpy(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write_kb(content, {"plain": [basic(f"plain/c{i}", f"s{i}") for i in range(3)]})
    assert run_session(content, tmp_path) == "import False rated-3 False"


def test_the_first_generated_question_loads_numpy(tmp_path: Path) -> None:
    # the check above can fail: a generated card does load numpy
    out = run_session(SAMPLE_CONTENT, tmp_path, "sample-numbers/dense-params")
    assert out.startswith("import False rated-")
    assert out.endswith(" generated True")
