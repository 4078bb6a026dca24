"""`make eval`: how well the assistant understands each language, on examples never trained on.

Per language (tests/nlu/held_out_<lang>.yml): intent accuracy and macro F1 of the shipped model
(models/current.tar.gz) and of a linear baseline trained here on the same split (data/nlu:
character n-grams + logistic regression, scikit-learn), the understanding step's field-level
precision and recall (tools/eval_understanding.evaluate), and the FallbackClassifier threshold
chosen on the same predictions; per intent its support, recall, precision and what it is taken
for; parse latency. Per language, 5-fold stratified cross-validation of the shipped pipeline
(config.yml) on data/nlu. Any tests/nlu/independent_<lang>.yml gets the held-out figures under
"independent". Writes eval/results.json.

    python -m tools.eval                 # everything (about 10 minutes on 2 busy cores with DIET)
    python -m tools.eval --shipped-only  # the shipped model's intents only (the make test gate)
    python -m tools.eval --no-cv         # everything but the cross-validation
    python -m tools.eval --compare       # classifier candidates (CANDIDATES), trained into a temp dir,
                                         # kept in eval/results.json as "classifier_comparison"
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

import yaml

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models" / "current.tar.gz"
TRAINING_DATA = ROOT / "data" / "nlu"
HELD_OUT = ROOT / "tests" / "nlu"
CONFIG = ROOT / "config.yml"
OUT = ROOT / "eval" / "results.json"
LANGUAGES = ("en", "pl", "uk", "ru")
OUT_OF_SCOPE = "out_of_scope"
FALLBACK = "nlu_fallback"
SEED = 42

# The threshold rule (issue 7): out-of-scope recall at least this, while in-scope accuracy
# drops at most MAX_ACCURACY_DROP from what it is with no threshold.
MIN_OOS_RECALL = 0.6
MAX_ACCURACY_DROP = 0.02
THRESHOLDS = [round(0.05 * i, 2) for i in range(2, 20)]

Example = Tuple[str, str]  # (text, intent)
Prediction = List[Tuple[str, float]]  # intent ranking, best first, without nlu_fallback


def _quiet() -> None:
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    logging.disable(logging.WARNING)
    # Rasa's structlog would print every parse at debug level (and slow the latency figures) when
    # not started through the rasa command line, which configures it.
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)


def load_examples(path: Path) -> List[Example]:
    """(text, intent) pairs of a Rasa NLU file or folder; entity annotations are removed."""
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(path))
    return [(m.get("text"), m.get("intent")) for m in data.intent_examples]


def held_out(lang: str) -> List[Example]:
    return load_examples(HELD_OUT / f"held_out_{lang}.yml")


def independent_sets() -> Dict[str, List[Example]]:
    """tests/nlu/independent_<lang>.yml, written by someone who never saw data/nlu: globbed, so
    that they are evaluated without being opened by whoever tunes the training data."""
    found = {}
    for path in sorted(HELD_OUT.glob("independent_*.yml")):
        lang = path.stem.split("_", 1)[1]
        if lang in LANGUAGES:
            found[lang] = load_examples(path)
    return found


def language_files(lang: str) -> List[Path]:
    # English lives at the top of data/nlu, every other language in its own folder.
    return sorted(TRAINING_DATA.glob("*.yml")) if lang == "en" else sorted((TRAINING_DATA / lang).glob("*.yml"))


# --- the shipped model -----------------------------------------------------------------------


def shipped_predictions(
    texts: Sequence[str], model: Path = MODEL, latencies: Optional[List[float]] = None
) -> List[Prediction]:
    """The intent ranking the trained Rasa model gives each text, before its FallbackClassifier;
    the milliseconds each agent.parse_message took are appended to `latencies`."""
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))

    async def parse_all() -> List[Prediction]:
        await agent.parse_message("warm up")  # the first call builds TensorFlow's graph: not a parse
        rankings = []
        for text in texts:
            started = time.perf_counter()
            parsed = await agent.parse_message(text)
            if latencies is not None:
                latencies.append(1000 * (time.perf_counter() - started))
            ranking = [
                (r["name"], float(r["confidence"])) for r in parsed.get("intent_ranking", []) if r["name"] != FALLBACK
            ]
            rankings.append(ranking or [(parsed["intent"]["name"], float(parsed["intent"]["confidence"]))])
        return rankings

    return asyncio.run(parse_all())


def latency_summary(milliseconds: Sequence[float]) -> Dict[str, float]:
    ordered = sorted(milliseconds)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {"messages": len(ordered), "median_ms": round(statistics.median(ordered), 2), "p95_ms": round(p95, 2)}


# --- the linear baseline ---------------------------------------------------------------------


def baseline_predictions(train: Sequence[Example], texts: Sequence[str]) -> List[Prediction]:
    """Character n-grams (1-4, within words) + word unigrams, logistic regression."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    features = make_union(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), lowercase=True, sublinear_tf=True),
        TfidfVectorizer(analyzer="word", lowercase=True, sublinear_tf=True),
    )
    model = make_pipeline(features, LogisticRegression(C=20, max_iter=5000, random_state=SEED))
    model.fit([t for t, _ in train], [i for _, i in train])
    probabilities = model.predict_proba(list(texts))
    labels = list(model.classes_)
    return [sorted(zip(labels, map(float, row)), key=lambda p: -p[1]) for row in probabilities]


# --- metrics ---------------------------------------------------------------------------------


def _top(ranking: Prediction) -> Tuple[str, float, float]:
    first = ranking[0]
    second = ranking[1][1] if len(ranking) > 1 else 0.0
    return first[0], first[1], second


def predicted(ranking: Prediction, threshold: float = 0.0, ambiguity: float = 0.0) -> str:
    """The intent Rasa ends with, FallbackClassifier included."""
    intent, confidence, second = _top(ranking)
    if confidence < threshold or (ambiguity and confidence - second < ambiguity):
        return FALLBACK
    return intent


def intent_scores(gold: Sequence[str], guesses: Sequence[str]) -> Dict[str, Any]:
    from sklearn.metrics import f1_score

    labels = sorted(set(gold))
    correct = sum(g == p for g, p in zip(gold, guesses))
    errors = [{"gold": g, "predicted": p} for g, p in zip(gold, guesses) if g != p]
    return {
        "n": len(gold),
        "accuracy": round(correct / len(gold), 4) if gold else None,
        "macro_f1": round(float(f1_score(gold, guesses, labels=labels, average="macro", zero_division=0)), 4),
        "errors": len(errors),
    }


def confusion_table(gold: Sequence[str], guesses: Sequence[str], most: int = 3) -> Dict[str, Dict[str, Any]]:
    """Per gold intent: support, recall, precision, and the intents its messages were taken for
    (most frequent first), plus those whose messages were taken for it."""
    from collections import Counter

    table = {}
    for intent in sorted(set(gold) | set(guesses)):
        as_gold = [p for g, p in zip(gold, guesses) if g == intent]
        as_guess = [g for g, p in zip(gold, guesses) if p == intent]
        right = sum(p == intent for p in as_gold)
        table[intent] = {
            "support": len(as_gold),
            "recall": round(right / len(as_gold), 4) if as_gold else None,
            "precision": round(right / len(as_guess), 4) if as_guess else None,
            "taken_for": [
                {"intent": i, "count": n} for i, n in Counter(p for p in as_gold if p != intent).most_common(most)
            ],
            "taken_from": [
                {"intent": i, "count": n} for i, n in Counter(g for g in as_guess if g != intent).most_common(most)
            ],
        }
    return table


def fallback_curve(gold: Sequence[str], rankings: Sequence[Prediction], ambiguity: float) -> List[Dict[str, float]]:
    """For each threshold: in-scope accuracy (a fallback counts as wrong) and out-of-scope recall
    (out_of_scope or a fallback counts as caught)."""
    rows = []
    for threshold in [0.0] + THRESHOLDS:
        guesses = [predicted(r, threshold, ambiguity) for r in rankings]
        in_scope = [(g, p) for g, p in zip(gold, guesses) if g != OUT_OF_SCOPE]
        oos = [p for g, p in zip(gold, guesses) if g == OUT_OF_SCOPE]
        right = sum(g == p for g, p in in_scope) + sum(p in (OUT_OF_SCOPE, FALLBACK) for p in oos)
        rows.append(
            {
                "threshold": threshold,
                "in_scope_accuracy": round(sum(g == p for g, p in in_scope) / max(len(in_scope), 1), 4),
                "out_of_scope_recall": round(sum(p in (OUT_OF_SCOPE, FALLBACK) for p in oos) / max(len(oos), 1), 4),
                "handled_right": right,
            }
        )
    return rows


def choose_threshold(curve: List[Dict[str, float]]) -> Dict[str, Any]:
    """Among thresholds that cost at most MAX_ACCURACY_DROP of in-scope accuracy and catch at
    least MIN_OOS_RECALL of out-of-scope messages, the one that handles the most held-out messages
    right (an in-scope message answered, an out-of-scope one caught): one more out-of-scope catch is
    not worth three in-scope answers lost. Of equals the highest, which catches most for free."""
    base = curve[0]["in_scope_accuracy"]
    allowed = [row for row in curve[1:] if base - row["in_scope_accuracy"] <= MAX_ACCURACY_DROP + 1e-9]
    if not allowed:
        return {"threshold": None, "meets_rule": False, "reason": "no threshold keeps accuracy"}
    meeting = [row for row in allowed if row["out_of_scope_recall"] >= MIN_OOS_RECALL] or allowed
    best = max(meeting, key=lambda row: (row["handled_right"], row["threshold"]))
    return {**best, "accuracy_without_threshold": base, "meets_rule": best["out_of_scope_recall"] >= MIN_OOS_RECALL}


def configured_fallback() -> Tuple[Optional[float], float]:
    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    for component in config.get("pipeline", []):
        if component.get("name") == "FallbackClassifier":
            return component.get("threshold"), component.get("ambiguity_threshold", 0.1)
    return None, 0.0


def understanding_scores(lang: str) -> Dict[str, Any]:
    """Field-level precision and recall of the understanding step (tools/eval_understanding)."""
    try:
        from tools import eval_understanding
    except ImportError as error:
        return {"error": f"tools.eval_understanding not available: {error}"}
    try:
        return eval_understanding.evaluate(lang)
    except Exception as error:  # a failure there must not hide the intent figures
        return {"error": f"{type(error).__name__}: {error}"}


# --- training in a temporary directory: cross-validation and classifier candidates ------------

# Candidates for `--compare`: the classifier and any change to the character n-gram featurizer,
# each on the rest of config.yml's pipeline (the same sparse features).
DIET = {
    "name": "DIETClassifier",
    "epochs": 100,
    "number_of_transformer_layers": 0,
    "random_seed": SEED,
    "constrain_similarities": True,
}
LOGREG = {"name": "LogisticRegressionClassifier", "random_state": SEED}
SMALL_CHARS = {"max_ngram": 3, "min_df": 3}
CANDIDATES = {
    "diet": (DIET, {}),
    "logreg": (LOGREG, {}),
    # Rasa's default of 100 iterations stops lbfgs before it converges on these features
    "logreg_max_iter_1000": ({**LOGREG, "max_iter": 1000}, {}),
    "logreg_chars_1-3_df3": (LOGREG, SMALL_CHARS),
    "diet_chars_1-3_df3": (DIET, SMALL_CHARS),
}
CLASSIFIERS = ("DIETClassifier", "LogisticRegressionClassifier")
CV_FOLDS = 5


def _no_training_cache() -> None:
    # Rasa's cache would hand one candidate (or fold) the features of another, and its times.
    os.environ["RASA_MAX_CACHE_SIZE"] = "0"


def language_training_data(lang: str):
    """One language's Rasa TrainingData (examples with their entity annotations)."""
    from rasa.shared.nlu.training_data.loading import load_data
    from rasa.shared.nlu.training_data.training_data import TrainingData

    return TrainingData().merge(*[load_data(str(path)) for path in language_files(lang)])


def train_nlu_model(config: Path, training_data, out: Path, name: str) -> Tuple[Path, Dict[str, float]]:
    """An NLU-only model trained on `training_data`; its wall and CPU seconds."""
    from rasa.model_training import train_nlu
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLWriter

    _no_training_cache()
    data_file = out / f"{name}.nlu.yml"
    RasaYAMLWriter().dump(str(data_file), training_data)
    wall, cpu = time.perf_counter(), time.process_time()
    model = train_nlu(str(config), str(data_file), str(out), fixed_model_name=name)
    cost = {
        "train_wall_seconds": round(time.perf_counter() - wall, 1),
        "train_cpu_seconds": round(time.process_time() - cpu, 1),
    }
    return Path(model), cost


def _folds(examples: Sequence[Tuple[str, Any]]) -> List[List[int]]:
    """Test indices of each fold, stratified by language and intent together, so that every
    language is cross-validated on its own examples intent by intent."""
    from sklearn.model_selection import StratifiedKFold

    labels = [f"{lang}:{message.get('intent')}" for lang, message in examples]
    splitter = StratifiedKFold(n_splits=CV_FOLDS, shuffle=True, random_state=SEED)
    return [list(test) for _, test in splitter.split(labels, labels)]


def _mean_std(values: Sequence[float]) -> Dict[str, Any]:
    return {
        "mean": round(statistics.mean(values), 4),
        "std": round(statistics.stdev(values), 4),
        "folds": [round(v, 4) for v in values],
    }


def cross_validate(config: Path = CONFIG) -> Dict[str, Any]:
    """5-fold stratified cross-validation of the pipeline in `config` on data/nlu.

    Each fold trains one model on the other folds of all four languages (as the shipped model is
    one model for four languages) and tests each language on its own fifth: per language that is a
    5-fold stratified cross-validation on its examples. Accuracy and macro F1 mean and (sample)
    standard deviation over the folds."""
    from rasa.shared.nlu.training_data.training_data import TrainingData

    per_lang = {lang: language_training_data(lang) for lang in LANGUAGES}
    examples = [(lang, m) for lang in LANGUAGES for m in per_lang[lang].intent_examples]
    whole = TrainingData().merge(*per_lang.values())
    scores: Dict[str, Dict[str, List[float]]] = {lang: {"accuracy": [], "macro_f1": []} for lang in LANGUAGES}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="mos-cv-") as tmp:
        for k, test in enumerate(_folds(examples)):
            held = set(test)
            train = TrainingData(
                training_examples=[m for i, (_, m) in enumerate(examples) if i not in held],
                entity_synonyms=whole.entity_synonyms,
                regex_features=whole.regex_features,
                lookup_tables=whole.lookup_tables,
            )
            model, _ = train_nlu_model(config, train, Path(tmp), f"fold{k}")
            tested = [examples[i] for i in test]
            rankings = shipped_predictions([m.get("text") for _, m in tested], model)
            for lang in LANGUAGES:
                pairs = [(m.get("intent"), predicted(r)) for (language, m), r in zip(tested, rankings) if language == lang]
                fold = intent_scores([g for g, _ in pairs], [p for _, p in pairs])
                scores[lang]["accuracy"].append(fold["accuracy"])
                scores[lang]["macro_f1"].append(fold["macro_f1"])
            model.unlink()
    return {
        "folds": CV_FOLDS,
        "seed": SEED,
        "config": CONFIG.name if config == CONFIG else str(config),
        "seconds": round(time.perf_counter() - started, 1),
        "languages": {
            lang: {
                "examples": len(per_lang[lang].intent_examples),
                **{metric: _mean_std(values) for metric, values in s.items()},
            }
            for lang, s in scores.items()
        },
    }


def candidate_config(classifier: Dict[str, Any], chars: Dict[str, Any], out: Path) -> Path:
    """config.yml with its intent classifier replaced and its char n-gram featurizer changed."""
    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    pipeline = []
    for component in config["pipeline"]:
        if component.get("name") in CLASSIFIERS:
            component = dict(classifier)
        elif component.get("analyzer") == "char_wb":
            component = {**component, **chars}
        pipeline.append(component)
    config["pipeline"] = pipeline
    out.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return out


def compare_candidates(names: Sequence[str] = tuple(CANDIDATES)) -> Dict[str, Any]:
    """Each candidate trained on all of data/nlu: held-out accuracy and macro F1 per language,
    training time, parse latency and the fallback threshold its own confidences call for."""
    sets = {lang: held_out(lang) for lang in LANGUAGES}
    texts = [t for lang in LANGUAGES for t, _ in sets[lang]]
    gold_all = [i for lang in LANGUAGES for _, i in sets[lang]]
    whole = load_examples_data()
    _, ambiguity = configured_fallback()
    table = {}
    with tempfile.TemporaryDirectory(prefix="mos-compare-") as tmp:
        for name in names:
            classifier, chars = CANDIDATES[name]
            config = candidate_config(classifier, chars, Path(tmp) / f"{name}.config.yml")
            model, cost = train_nlu_model(config, whole, Path(tmp), name)
            latencies: List[float] = []
            rankings = shipped_predictions(texts, model, latencies)
            entry: Dict[str, Any] = {
                "classifier": classifier,
                "char_ngrams": chars or "as config.yml",
                **cost,
                "model_mb": round(model.stat().st_size / 2**20, 1),
                "parse_latency": latency_summary(latencies),
                "languages": {},
            }
            offset = 0
            for lang in LANGUAGES:
                n = len(sets[lang])
                entry["languages"][lang] = intent_scores(
                    [i for _, i in sets[lang]], [predicted(r) for r in rankings[offset : offset + n]]
                )
                offset += n
            entry["mean_accuracy"] = round(statistics.mean(e["accuracy"] for e in entry["languages"].values()), 4)
            entry["fallback_threshold"] = choose_threshold(fallback_curve(gold_all, rankings, ambiguity))
            table[name] = entry
    return {"held_out": "tests/nlu/held_out_<lang>.yml", "candidates": table}


def load_examples_data():
    from rasa.shared.nlu.training_data.training_data import TrainingData

    return TrainingData().merge(*[language_training_data(lang) for lang in LANGUAGES])


# --- the run ---------------------------------------------------------------------------------


def score_sets(
    sets: Dict[str, List[Example]],
    systems: Dict[str, List[Prediction]],
    threshold: Optional[float],
    ambiguity: float,
    texts: bool = True,
) -> Dict[str, Dict[str, Any]]:
    """Per language and system: intent scores without and with the configured fallback; for the
    shipped model also the per-intent confusion table and, with `texts`, the messages it got wrong."""
    languages: Dict[str, Dict[str, Any]] = {}
    offset = 0
    for lang, examples in sets.items():
        gold = [i for _, i in examples]
        n = len(gold)
        entry: Dict[str, Any] = {}
        for name, rankings in systems.items():
            part = rankings[offset : offset + n]
            guesses = [predicted(r) for r in part]
            # With the fallback on, an out-of-scope message that falls back is handled as it should be.
            with_fallback = intent_scores(
                gold,
                [
                    OUT_OF_SCOPE if g == OUT_OF_SCOPE and p == FALLBACK else p
                    for g, p in zip(gold, (predicted(r, threshold or 0.0, ambiguity) for r in part))
                ],
            )
            entry[name] = {"no_fallback": intent_scores(gold, guesses), "with_configured_fallback": with_fallback}
            if name == "shipped" and texts:
                entry[name]["misrecognised"] = [
                    {"text": t, "gold": g, "predicted": p} for (t, g), p in zip(examples, guesses) if p != g
                ]
            if name == "shipped":
                entry[name]["per_intent"] = confusion_table(gold, guesses)
        languages[lang] = entry
        offset += n
    return languages


def _predict_all(
    sets: Dict[str, List[Example]], model: Path, shipped_only: bool, timing: Dict[str, Any]
) -> Dict[str, List[Prediction]]:
    texts = [t for examples in sets.values() for t, _ in examples]
    latencies: List[float] = []
    started = time.time()
    systems = {"shipped": shipped_predictions(texts, model, latencies)}
    timing["shipped_parse_seconds"] = round(time.time() - started, 1)
    timing["shipped_parse_latency"] = latency_summary(latencies)
    if not shipped_only:
        started = time.time()
        systems["baseline"] = baseline_predictions(load_examples(TRAINING_DATA), texts)
        timing["baseline_train_and_predict_seconds"] = round(time.time() - started, 1)
    return systems


def evaluate(shipped_only: bool = False, model: Path = MODEL, cv: bool = True, independent: bool = True) -> Dict[str, Any]:
    _quiet()
    sets = {lang: held_out(lang) for lang in LANGUAGES}
    timing: Dict[str, Any] = {}
    systems = _predict_all(sets, model, shipped_only, timing)
    threshold, ambiguity = configured_fallback()
    results: Dict[str, Any] = {
        "model": str(model.relative_to(ROOT)) if model.is_relative_to(ROOT) else str(model),
        "configured_fallback_threshold": threshold,
        "ambiguity_threshold": ambiguity,
        "languages": score_sets(sets, systems, threshold, ambiguity),
        "timing": timing,
    }
    if shipped_only:
        return results
    for lang in LANGUAGES:
        results["languages"][lang]["understanding"] = understanding_scores(lang)
    gold_all = [i for lang in LANGUAGES for _, i in sets[lang]]
    for name, rankings in systems.items():
        curve = fallback_curve(gold_all, rankings, ambiguity)
        results.setdefault("fallback", {})[name] = {"curve": curve, "chosen": choose_threshold(curve)}
    mean_f1 = {
        name: round(
            sum(results["languages"][lang][name]["no_fallback"]["macro_f1"] for lang in LANGUAGES) / len(LANGUAGES), 4
        )
        for name in systems
    }
    results["mean_macro_f1"] = mean_f1
    results["better"] = max(mean_f1, key=mean_f1.get)
    others = independent_sets() if independent else {}
    if others:
        # figures only: their texts in eval/results.json would be read by whoever tunes data/nlu next
        results["independent"] = score_sets(
            others, _predict_all(others, model, False, {}), threshold, ambiguity, texts=False
        )
    if cv:
        results["cross_validation"] = cross_validate()
    return results


def _summary(results: Dict[str, Any]) -> str:
    lines = [f"{'lang':5}{'system':10}{'acc':>8}{'macroF1':>9}{'acc@fb':>8}   understanding P/R"]
    for lang, entry in results.get("languages", {}).items():
        for name in ("shipped", "baseline"):
            if name not in entry:
                continue
            raw, fb = entry[name]["no_fallback"], entry[name]["with_configured_fallback"]
            understanding = ""
            if name == "shipped" and "understanding" in entry:
                u = entry["understanding"]
                understanding = f"{u.get('precision')}/{u.get('recall')}" if "error" not in u else u["error"][:60]
            figures = f"{raw['accuracy']:>8.3f}{raw['macro_f1']:>9.3f}{fb['accuracy']:>8.3f}"
            lines.append(f"{lang:5}{name:10}{figures}   {understanding}")
    for lang, entry in results.get("independent", {}).items():
        raw = entry["shipped"]["no_fallback"]
        lines.append(f"independent {lang}: n={raw['n']} accuracy {raw['accuracy']:.3f} macro F1 {raw['macro_f1']:.3f}")
    for lang, entry in results.get("cross_validation", {}).get("languages", {}).items():
        acc, f1 = entry["accuracy"], entry["macro_f1"]
        lines.append(f"cv {lang}: accuracy {acc['mean']:.3f}±{acc['std']:.3f} macro F1 {f1['mean']:.3f}±{f1['std']:.3f}")
    for name, fallback in results.get("fallback", {}).items():
        lines.append(f"fallback threshold for {name}: {fallback['chosen']}")
    if "better" in results:
        lines.append(f"mean macro F1: {results['mean_macro_f1']} -> better: {results['better']}")
    if "shipped_parse_latency" in results.get("timing", {}):
        lines.append(f"parse latency: {results['timing']['shipped_parse_latency']}")
    for name, c in results.get("classifier_comparison", {}).get("candidates", {}).items():
        accs = " ".join(f"{lang} {e['accuracy']:.3f}" for lang, e in c["languages"].items())
        threshold = c["fallback_threshold"].get("threshold")
        lines.append(
            f"candidate {name:22} {accs}  train {c['train_wall_seconds']}s wall "
            f"{c['train_cpu_seconds']}s cpu  parse {c['parse_latency']}  fallback {threshold}"
        )
    if "configured_fallback_threshold" in results:
        lines.append(f"configured FallbackClassifier threshold: {results['configured_fallback_threshold']}")
    return "\n".join(lines)


def _previous(out: Path) -> Dict[str, Any]:
    try:
        return json.loads(out.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shipped-only", action="store_true", help="only the shipped model's intents")
    parser.add_argument("--no-cv", action="store_true", help="skip the cross-validation")
    # whoever tunes data/nlu runs without them, so that they stay unseen until the final figures
    parser.add_argument("--no-independent", action="store_true", help="skip tests/nlu/independent_*.yml")
    parser.add_argument(
        "--compare",
        nargs="*",
        metavar="CANDIDATE",
        choices=list(CANDIDATES),
        help=f"train and compare classifier candidates ({', '.join(CANDIDATES)}; default all)",
    )
    parser.add_argument("--model", type=Path, default=MODEL)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    previous = _previous(args.out)
    if args.compare is not None:
        _quiet()
        # the comparison takes long and is run apart: it joins the last full run's figures
        results = {**previous, "classifier_comparison": compare_candidates(args.compare or tuple(CANDIDATES))}
    else:
        if not args.model.exists():
            print(f"no model at {args.model}: run `make train` first", file=sys.stderr)
            return 2
        results = evaluate(
            shipped_only=args.shipped_only,
            model=args.model.resolve(),
            cv=not args.no_cv,
            independent=not args.no_independent,
        )
        if "classifier_comparison" in previous and not args.shipped_only:
            results["classifier_comparison"] = previous["classifier_comparison"]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")
    print(_summary(results))
    print(f"written: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
