"""The numeric question engine: generators, answer checking, diagnosis, worked solutions.

Importing this package must stay cheap: sympy is imported only by the symbolic checker.
"""
