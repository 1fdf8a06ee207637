"""The school engine: a core problem with the Chinese school families, solved by CP-SAT.

``variables`` and ``build`` (one module per hard family in ``constraints/``),
``objective`` (the soft rules), ``hint`` (the greedy warm start), ``explain`` (prechecks
and infeasibility cores), ``mapping`` (solver values → timetable) and ``solve`` (the
whole run: :func:`solve`).
"""
