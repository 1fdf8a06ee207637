"""The homework quota engine (作业总量统筹), one module per step.

``kernel``: the numba kernel (continuous solve, evening choice, 5-minute rounding);
``twin``: its NumPy twin; ``problem``: a school and timetable as arrays; ``plan``: the
checked pipeline for a school or a district; ``report``: text and tables;
``reference``: the exact HiGHS QP the kernel is measured against (tests, benchmarks).
"""
