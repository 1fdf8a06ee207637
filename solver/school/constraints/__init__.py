"""One module per hard-rule family; each exposes ``add_<family>(model, problem, v)``."""
