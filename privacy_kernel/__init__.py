"""The privacy kernel: the floor every app stands on.

It holds what every change of data needs and nothing that knows a feature: the audit log's vocabulary
(`events.py`), `audit.record` and the view decorators (`audit.py`), the hash chain (`chain*.py`), the one
write helper every action runs through (`writes.py`), secret masking, "owned by" querysets, and the types
of the personal-data registry and the export layout. It imports no feature app; apps tell it about
themselves through registries (their `privacy.py` declarations, event descriptions). The user's rights
built on it (export, erasure, retention, support access) live in `privacy_rights`.
"""
