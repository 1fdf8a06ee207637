"""jianfu (减负): timetables and homework quotas for Chinese primary and junior-middle schools."""

__version__ = "0.1.0"
