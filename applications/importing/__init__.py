"""Importing a job posting: fetching a URL the user gave us safely (`fetch`), and reading it (`parse`).

Nothing here touches the database; the caller decides what to store.
"""
