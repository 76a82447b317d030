"""The Textual app. The only package that imports textual; it reaches the database only
through quizdl.study (and quizdl.stats, quizdl.export)."""

import os

# Textual draws a changed screen at the next tick of a frame timer, 60 a second by
# default: a card ready just after a tick waited up to 16.7 ms to be drawn, the whole of
# the one-frame budget for a key press. At 240 the wait is at most 4.2 ms. The timer runs
# only while something on screen has changed, so an idle app costs nothing more. A
# learner's own TEXTUAL_FPS wins. Set before textual is imported: it reads it once.
os.environ.setdefault("TEXTUAL_FPS", "240")
