"""The arithmetic of `make eval` (tools/eval.py): fallback simulation and the threshold rule."""

from tools.eval import (
    FALLBACK,
    _folds,
    choose_threshold,
    confusion_table,
    fallback_curve,
    intent_scores,
    latency_summary,
    predicted,
)


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
    def row(t, acc, rec):
        return {
            "threshold": t,
            "in_scope_accuracy": acc,
            "out_of_scope_recall": rec,
            "handled_right": round(200 * acc + 20 * rec),
        }

    curve = [row(0.0, 0.995, 0.9), row(0.3, 0.995, 0.95), row(0.35, 0.995, 0.95), row(0.65, 0.98, 1.0), row(0.8, 0.95, 1.0)]
    chosen = choose_threshold(curve)
    assert (chosen["threshold"], chosen["meets_rule"]) == (0.35, True)  # 0.65 loses 3 answers for 1 catch
    assert choose_threshold(curve[:1] + [row(0.3, 0.995, 0.4)])["meets_rule"] is False


def test_macro_f1_weighs_every_intent_alike():
    scores = intent_scores(["a", "a", "a", "b"], ["a", "a", "a", "a"])
    assert scores["accuracy"] == 0.75 and scores["macro_f1"] < 0.5


def test_the_confusion_table_gives_support_recall_precision_and_what_an_intent_is_taken_for():
    gold = ["stop", "stop", "stop", "inform", "ask_fees"]
    guesses = ["stop", "inform", "inform", "inform", "stop"]
    table = confusion_table(gold, guesses)
    assert table["stop"] == {
        "support": 3,
        "recall": 0.3333,
        "precision": 0.5,
        "taken_for": [{"intent": "inform", "count": 2}],
        "taken_from": [{"intent": "ask_fees", "count": 1}],
    }
    assert table["inform"]["precision"] == 0.3333 and table["ask_fees"]["recall"] == 0.0


def test_latency_is_summarised_by_median_and_95th_percentile():
    summary = latency_summary([float(ms) for ms in range(1, 101)])
    assert summary == {"messages": 100, "median_ms": 50.5, "p95_ms": 95.0}


def test_every_fold_tests_each_language_on_a_fifth_of_each_intent():
    from collections import Counter

    examples = [(lang, {"intent": intent}) for lang in ("en", "pl") for intent in ("a", "b") for _ in range(10)]
    folds = _folds(examples)
    assert sorted(i for fold in folds for i in fold) == list(range(len(examples)))
    for fold in folds:
        counts = Counter((examples[i][0], examples[i][1]["intent"]) for i in fold)
        assert counts == {("en", "a"): 2, ("en", "b"): 2, ("pl", "a"): 2, ("pl", "b"): 2}
    assert folds == _folds(examples)  # fixed seed


def test_a_candidate_changes_only_the_classifier_and_the_character_n_grams(tmp_path):
    import yaml

    from tools.eval import CONFIG, LOGREG, SMALL_CHARS, candidate_config

    shipped = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))["pipeline"]
    changed = yaml.safe_load(candidate_config(LOGREG, SMALL_CHARS, tmp_path / "c.yml").read_text())["pipeline"]
    assert len(changed) == len(shipped)
    for before, after in zip(shipped, changed):
        if before["name"] in ("DIETClassifier", "LogisticRegressionClassifier"):
            assert after == LOGREG
        elif before.get("analyzer") == "char_wb":
            assert after == {**before, "max_ngram": 3, "min_df": 3}
        else:
            assert after == before


def test_independent_sets_are_found_by_their_file_name(tmp_path, monkeypatch):
    import tools.eval as ev

    (tmp_path / "independent_pl.yml").write_text(
        'version: "3.1"\nnlu:\n  - intent: greet\n    examples: |\n      - czesc\n', encoding="utf-8"
    )
    (tmp_path / "independent_xx.yml").write_text('version: "3.1"\nnlu: []\n', encoding="utf-8")
    (tmp_path / "held_out_pl.yml").write_text('version: "3.1"\nnlu: []\n', encoding="utf-8")
    monkeypatch.setattr(ev, "HELD_OUT", tmp_path)
    assert ev.independent_sets() == {"pl": [("czesc", "greet")]}
