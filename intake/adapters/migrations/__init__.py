"""The schema's history: Alembic's environment (``env.py``) and one revision per change
(``versions/``), applied by :mod:`intake.adapters.schema`; CONTRIBUTING says how to add one."""
