"""The answer models' card (answer_model.md), written from the figures of a training run."""

from __future__ import annotations

from typing import Any

from .fit import MAX_FALSE_REFUSALS, TARGET_REFUSED


def card_markdown(card: dict[str, Any]) -> str:
    """The card as a page a maintainer reads (answer_model.md), from the figures of the run."""
    s, a, f = card["sentence"], card["answerable"], card["frontline"]
    e = card["answerable_embedded"]
    return "\n".join([
        "# Answer models (answer_model.json)", "",
        "Written by `kom-assistant train-answers`; do not edit by hand. Four logistic "
        "regressions (scikit-learn to train, plain numpy to run):", "",
        f"- **sentence**: which candidate sentence holds the evidence, from its features and "
        f"their distance below the best candidate's (`select.RANKED_FEATURES`); "
        f"{s['training_rows']} candidates of the training questions, labelled by whether they "
        f"hold half an evidence quote's words. Chosen on validation: {s['model']} (pointwise: "
        f"each sentence alone; pairwise: against the others of its question), supporting "
        f"lines from probability {s['support_line']}. Validation: first line holds the "
        f"evidence {s['validation_first_line_holds_evidence']}, lines holding evidence "
        f"{s['validation_lines_holding_evidence']}.",
        f"- **answerable**: whether the sources answer (`answerability.ANSWERABLE_FEATURES`); "
        f"{a['training_questions']} training questions. Chosen on validation: C = {a['C']}, "
        f"the lowest threshold refusing {TARGET_REFUSED:.0%} of the unanswerable (at most "
        f"{MAX_FALSE_REFUSALS:.0%} false refusals). "
        f"Validation: unanswerable refused {a['validation_unanswerable_refused']}, false "
        f"refusals {a['validation_false_refusals']}. Decides where the next cannot: under another "
        f"query encoder, or for a follow-up joined to the turn before.",
        f"- **answerable_embedded**: the same, from those features and the question's embedding "
        f"by the query encoder (`encoder`), which carries what kind of question it is; "
        f"{e['training_questions']} training questions. Chosen on validation as above, the "
        f"threshold never above the probability of any of the {e.get('known_questions', 0)} "
        f"known questions (the app's examples, the probes of corpus/regression.toml), so all "
        f"are answered; they are answerable training questions too, each weighing as many as "
        f"validation chose: "
        + (f"C = {e['C']}, known questions weigh {e.get('known_weight', 1.0):g}. Validation: "
           f"unanswerable refused "
           f"{e['validation_unanswerable_refused']}, false refusals "
           f"{e['validation_false_refusals']}." if e["C"] is not None else
           f"so held back it refused {e.get('validation_unanswerable_refused')} of the "
           "validation's unanswerable questions, no more than the model above, so it is left "
           "out and the model above decides."),
        f"- **frontline**: whether a message tells of someone in a situation of possible "
        f"trafficking and asks what to do (`frontline.frontline_features`: its embedding by the "
        f"query encoder, and the rules); {f['training_messages']} training messages, "
        f"{f['training_cases']} of them cases. Chosen on validation: C = {f['C']}, the threshold "
        f"catching the most cases, then flagging the fewest others. Validation: cases caught "
        f"{f['validation_cases_caught']}, other questions flagged "
        f"{f['validation_others_flagged']}.", "",
        f"Trained on: {', '.join(card['trained_on'])}. Chosen on: "
        f"{', '.join(card['chosen_on'])}. The test sets of `benchmarks/sets.toml` played no "
        "part; `benchmarks/answers.py --all` reports them. Licence: as the project's code.", "",
    ])
