"""The study use cases: one module that the app, the JSON-lines protocol and the tests
all use. Each learner action is one database transaction, acknowledged only after it
is committed."""
