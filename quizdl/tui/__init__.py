"""The Textual app. The only package that imports textual; it reaches the database only
through quizdl.study (and quizdl.stats, quizdl.export)."""
