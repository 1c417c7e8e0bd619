"""KOM-assistenten: answers about human trafficking from official Norwegian sources, with citations.

The pipeline, one module per step: ingest (files -> pages) -> chunking (pages -> chunks) ->
index (chunks -> Chroma + keyword index) -> retrieve (question -> hits) -> answer (hits -> answer).
"""

__version__ = "0.1.0"
