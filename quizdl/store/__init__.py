"""Persistence: ORM rows, the engine and session factory, migrations. Rows are not
domain objects; the study, stats and export modules translate at the edge."""
