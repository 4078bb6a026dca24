"""The arithmetic of `make eval` (tools/eval.py): fallback simulation and the threshold rule."""
from tools.eval import FALLBACK, choose_threshold, fallback_curve, intent_scores, predicted


def test_a_low_or_ambiguous_confidence_becomes_the_fallback():
    ranking = [("ask_fees", 0.55), ("ask_cukr", 0.40)]
    assert predicted(ranking) == "ask_fees"
    assert predicted(ranking, threshold=0.6) == FALLBACK
    assert predicted(ranking, threshold=0.5, ambiguity=0.2) == FALLBACK


def test_the_curve_counts_a_fallback_as_wrong_in_scope_and_caught_out_of_scope():
    gold = ["greet", "greet", "out_of_scope", "out_of_scope"]
    rankings = [[("greet", 0.9)], [("greet", 0.5)], [("ask_fees", 0.4)], [("out_of_scope", 0.8)]]
    rows = {row["threshold"]: row for row in fallback_curve(gold, rankings, ambiguity=0.0)}
    assert rows[0.0] == {"threshold": 0.0, "in_scope_accuracy": 1.0, "out_of_scope_recall": 0.5, "handled_right": 3}
    assert rows[0.45] == {"threshold": 0.45, "in_scope_accuracy": 1.0, "out_of_scope_recall": 1.0, "handled_right": 4}
    assert rows[0.6] == {"threshold": 0.6, "in_scope_accuracy": 0.5, "out_of_scope_recall": 1.0, "handled_right": 3}


def test_the_threshold_handles_most_messages_right_within_two_points():
    # 200 in-scope and 20 out-of-scope messages
    row = lambda t, acc, rec: {"threshold": t, "in_scope_accuracy": acc, "out_of_scope_recall": rec,
                               "handled_right": round(200 * acc + 20 * rec)}
    curve = [row(0.0, 0.995, 0.9), row(0.3, 0.995, 0.95), row(0.35, 0.995, 0.95), row(0.65, 0.98, 1.0),
             row(0.8, 0.95, 1.0)]
    chosen = choose_threshold(curve)
    assert (chosen["threshold"], chosen["meets_rule"]) == (0.35, True)  # 0.65 loses 3 answers for 1 catch
    assert choose_threshold(curve[:1] + [row(0.3, 0.995, 0.4)])["meets_rule"] is False


def test_macro_f1_weighs_every_intent_alike():
    scores = intent_scores(["a", "a", "a", "b"], ["a", "a", "a", "a"])
    assert scores["accuracy"] == 0.75 and scores["macro_f1"] < 0.5
