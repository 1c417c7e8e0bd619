"""Hits -> answer.

Composes a short answer from the cited sentences of the hits, or refuses when the sources do
not answer; adds the contact points a question needs; optionally lets an LLM write it.
"""
