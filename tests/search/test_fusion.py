"""Fusion: rank fusion, score fusion of the signals and their learned weights."""

import numpy as np

from kom_assistant.search.fusion import (
    SIGNALS,
    fusion_weights,
    language_weights,
    reciprocal_rank_fusion,
    score_fusion,
    weights_from_json,
    weights_to_json,
)


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


def test_weighted_score_fusion_follows_the_weighted_signal():
    dense = np.array([0.9, 0.5, 0.1])
    keyword = np.array([0.0, 1.0, 3.0])
    everything = np.ones(3, dtype=bool)
    assert int(np.argmax(score_fusion([dense, keyword], everything, [1.0, 0.0]))) == 0
    assert int(np.argmax(score_fusion([dense, keyword], everything, [0.0, 1.0]))) == 2
    # Equal weights are the unweighted sum.
    assert np.allclose(score_fusion([dense, keyword], everything, [1.0, 1.0]),
                       score_fusion([dense, keyword], everything))


def test_the_shipped_weights_cover_both_languages_and_every_signal():
    weights = fusion_weights()
    assert set(weights) == {"nb", "en"}
    assert all(len(ws) == len(SIGNALS) and all(w > 0 for w in ws) for ws in weights.values())
    assert language_weights(weights, "en") == weights["en"]
    assert language_weights(weights, "nn") == weights["nb"]  # any other language: Norwegian
    assert weights_from_json(weights_to_json(weights)) == {
        lang: tuple(round(w, 6) for w in ws) for lang, ws in weights.items()}
