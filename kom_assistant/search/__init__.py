"""Chunks -> index -> hits.

Embeds chunks and their sentences, builds the keyword index and the Chroma store, and answers
a question with ranked hits: its spelling mended, English words given their Norwegian terms,
several signals fused.
"""
