"""quizdl: a daily deep-learning review in the terminal."""

__version__ = "0.1.0"
