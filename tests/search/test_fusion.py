"""Fusion: rank fusion and score fusion of the signals."""

import numpy as np

from kom_assistant.search.fusion import reciprocal_rank_fusion, score_fusion


def test_rrf_rewards_agreement_and_respects_weights():
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["b", "d"]])
    assert fused[0][0] == "b"
    assert {x for x, _ in fused} == {"a", "b", "c", "d"}
    weighted = reciprocal_rank_fusion([["a"], ["d"]], weights=[1.0, 0.5])
    assert [x for x, _ in weighted] == ["a", "d"]


def test_rrf_of_nothing_is_empty():
    assert reciprocal_rank_fusion([[], []]) == []


def test_score_fusion_keeps_one_signal_s_clear_lead():
    # "a" stands far above the rest in the first signal; "b" is second-best in both. Rank
    # fusion prefers "b" (agreement); fusion by score sees how far "a" leads.
    dense = np.array([0.95, 0.80, 0.79, 0.78, 0.77])
    keyword = np.array([0.5, 2.0, 2.1, 1.0, 0.0])
    everything = np.ones(5, dtype=bool)
    ids = ["a", "b", "c", "d", "e"]
    by_rank = reciprocal_rank_fusion([sorted(ids, key=lambda i: -dense[ids.index(i)]),
                                      sorted(ids, key=lambda i: -keyword[ids.index(i)])])
    assert by_rank[0][0] != "a"
    assert int(np.argmax(score_fusion([dense, keyword], everything))) == 0


def test_score_fusion_leaves_out_disallowed_and_tolerates_missing_scores():
    allowed = np.array([True, False, True, True])
    sentence = np.array([0.9, 0.95, -np.inf, 0.8])  # the third chunk has no sentences
    flat = np.zeros(4)  # a signal with nothing to say (no keyword matched) moves nothing
    fused = score_fusion([sentence, flat], allowed)
    # Without sentences, a chunk counts as the worst of those scored.
    assert np.isneginf(fused[1]) and fused[0] > fused[2] == fused[3]
    assert np.isneginf(score_fusion([sentence], np.zeros(4, dtype=bool))).all()
