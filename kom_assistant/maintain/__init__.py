"""The maintainers' side: add editions, re-index and switch over atomically, report what
changed, check known questions, and evaluate retrieval on question sets.
"""
