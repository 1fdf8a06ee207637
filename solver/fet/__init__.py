"""The FET engine: a ``.fet`` file's core problem, solved like FET and certified by CP-SAT.

``model``: the CP-SAT translation of the FET families (:class:`FetModel`); ``data``:
the model flattened into the search's arrays; ``kernels``: recursive swapping in
numba, with ``twin``, a plain-Python twin of its central move (the ejection chain);
``search``: its episodes, the race with CP-SAT and ``polish``; ``certify``:
CP-SAT's check of a searched timetable; ``solve``: the whole run (:func:`solve_fet`).
"""
