"""Which builds are kept: the serving one and the one that served before it, by index/SERVED."""

from kom_assistant.search.builds import (
    CURRENT,
    SERVED,
    current_build_id,
    kept_builds,
    switch_to,
    tidy_builds,
)


def _build(index_dir, build_id: str, finished: bool = True):  # type: ignore[no-untyped-def]
    folder = index_dir / "builds" / (build_id if finished else f"{build_id}.tmp")
    folder.mkdir(parents=True)
    if finished:
        (folder / "meta.json").write_text("{}")
    return folder


def test_switching_keeps_the_serving_build_and_the_one_before(small_settings):
    index_dir = small_settings.index_dir
    for build_id in ("b1", "b2", "b3"):
        _build(index_dir, build_id)
        switch_to(small_settings, build_id)
    assert current_build_id(index_dir) == "b3"
    assert sorted(p.name for p in (index_dir / "builds").iterdir()) == ["b2", "b3"]
    assert (index_dir / SERVED).read_text().split() == ["b2", "b3"]


def test_newer_builds_that_never_served_go_and_the_real_previous_stays(small_settings):
    index_dir = small_settings.index_dir
    for build_id in ("20260101-a", "20260102-b"):
        _build(index_dir, build_id)
        switch_to(small_settings, build_id)
    _build(index_dir, "20260103-killed")  # written, killed before its check and switch
    _build(index_dir, "20260104-writing", finished=False)
    assert tidy_builds(small_settings) == ["20260103-killed", "20260104-writing"]
    assert kept_builds(index_dir) == ["20260102-b", "20260101-a"]
    assert sorted(p.name for p in (index_dir / "builds").iterdir()) == ["20260101-a",
                                                                         "20260102-b"]


def test_a_serving_pointer_without_its_build_is_no_index(small_settings):
    small_settings.index_dir.mkdir(parents=True)
    (small_settings.index_dir / CURRENT).write_text("gone\n")
    assert current_build_id(small_settings.index_dir) is None and kept_builds(
        small_settings.index_dir) == []
