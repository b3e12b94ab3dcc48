"""The user's rights and the operator's view of them: the top layer, which may use every app.

Export (`export.py`, `jobs.py`), erasure and the deletion ledger (`erasure.py`, `ledger.py`), audit retention
and its encrypted archive (`retention.py`, `archive*.py`), support access (`support/`), the activity and
settings pages, and the sub-processor register. The tables it keeps (export and erasure requests, support
grants, archives) are declared in `privacy_kernel`, whose Django label they were created under.
"""
