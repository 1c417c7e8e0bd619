"""Driving app.py with Streamlit's AppTest: start it, send a question, read what it shows."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


def start(**query: str) -> AppTest:
    """The app's first run, at its address with `query` (admin="" for ?admin)."""
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    app.query_params.update(query)
    app.run()
    assert not app.exception, app.exception
    return app


def send(app: AppTest, question: str) -> AppTest:
    app.chat_input[0].set_value(question).run()
    assert not app.exception, app.exception
    return app


def texts(app: AppTest) -> str:
    parts = [m.value for m in app.markdown] + [w.value for w in app.warning]
    parts += [b.label for b in app.button] + [e.value for e in app.error]
    parts += [c.value for c in app.caption] + [i.value for i in app.info]
    return "\n".join(parts)


def component_data(app: AppTest, key: str) -> dict[str, Any]:
    """The data a component (safety bar, interface texts) was mounted with in the last run."""
    [element] = [e for e in app.get("bidi_component") if e.key == key]
    return dict(json.loads(element.proto.json))


def click(app: AppTest, label: str) -> AppTest:
    next(b for b in app.button if b.label == label).click().run()
    assert not app.exception, app.exception
    return app
