"""`make eval`: how well the assistant understands each language, on examples never trained on.

Per language (tests/nlu/held_out_<lang>.yml): intent accuracy and macro F1 of the shipped model
(models/current.tar.gz) and of a linear baseline trained here on the same split (data/nlu:
character n-grams + logistic regression, scikit-learn), the understanding step's field-level
precision and recall (tools/eval_understanding.evaluate), and the FallbackClassifier threshold
chosen on the same predictions. Writes eval/results.json.

    python -m tools.eval                 # everything
    python -m tools.eval --shipped-only  # the shipped model's intents only (the make test gate)
"""
from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
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


def load_examples(path: Path) -> List[Example]:
    """(text, intent) pairs of a Rasa NLU file or folder; entity annotations are removed."""
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(path))
    return [(m.get("text"), m.get("intent")) for m in data.intent_examples]


def held_out(lang: str) -> List[Example]:
    return load_examples(HELD_OUT / f"held_out_{lang}.yml")


# --- the shipped model -----------------------------------------------------------------------

def shipped_predictions(texts: Sequence[str], model: Path = MODEL) -> List[Prediction]:
    """The intent ranking the trained Rasa model gives each text, before its FallbackClassifier."""
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))

    async def parse_all() -> List[Prediction]:
        rankings = []
        for text in texts:
            parsed = await agent.parse_message(text)
            ranking = [(r["name"], float(r["confidence"])) for r in parsed.get("intent_ranking", [])
                       if r["name"] != FALLBACK]
            rankings.append(ranking or [(parsed["intent"]["name"], float(parsed["intent"]["confidence"]))])
        return rankings

    return asyncio.run(parse_all())


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


def fallback_curve(gold: Sequence[str], rankings: Sequence[Prediction], ambiguity: float) -> List[Dict[str, float]]:
    """For each threshold: in-scope accuracy (a fallback counts as wrong) and out-of-scope recall
    (out_of_scope or a fallback counts as caught)."""
    rows = []
    for threshold in [0.0] + THRESHOLDS:
        guesses = [predicted(r, threshold, ambiguity) for r in rankings]
        in_scope = [(g, p) for g, p in zip(gold, guesses) if g != OUT_OF_SCOPE]
        oos = [p for g, p in zip(gold, guesses) if g == OUT_OF_SCOPE]
        right = sum(g == p for g, p in in_scope) + sum(p in (OUT_OF_SCOPE, FALLBACK) for p in oos)
        rows.append({
            "threshold": threshold,
            "in_scope_accuracy": round(sum(g == p for g, p in in_scope) / max(len(in_scope), 1), 4),
            "out_of_scope_recall": round(sum(p in (OUT_OF_SCOPE, FALLBACK) for p in oos) / max(len(oos), 1), 4),
            "handled_right": right,
        })
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
    return {**best, "accuracy_without_threshold": base,
            "meets_rule": best["out_of_scope_recall"] >= MIN_OOS_RECALL}


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


# --- the run ---------------------------------------------------------------------------------

def evaluate(shipped_only: bool = False, model: Path = MODEL) -> Dict[str, Any]:
    _quiet()
    sets = {lang: held_out(lang) for lang in LANGUAGES}
    texts = [t for lang in LANGUAGES for t, _ in sets[lang]]
    started = time.time()
    shipped = shipped_predictions(texts, model)
    timing = {"shipped_parse_seconds": round(time.time() - started, 1)}
    threshold, ambiguity = configured_fallback()
    systems = {"shipped": shipped}
    if not shipped_only:
        train = load_examples(TRAINING_DATA)
        started = time.time()
        systems["baseline"] = baseline_predictions(train, texts)
        timing["baseline_train_and_predict_seconds"] = round(time.time() - started, 1)

    results: Dict[str, Any] = {"model": str(model.relative_to(ROOT)) if model.is_relative_to(ROOT) else str(model),
                               "configured_fallback_threshold": threshold, "ambiguity_threshold": ambiguity,
                               "languages": {}, "timing": timing}
    offset = 0
    for lang in LANGUAGES:
        gold = [i for _, i in sets[lang]]
        n = len(gold)
        entry: Dict[str, Any] = {}
        for name, rankings in systems.items():
            part = rankings[offset:offset + n]
            raw = intent_scores(gold, [predicted(r) for r in part])
            # With the fallback on, an out-of-scope message that falls back is handled as it should be.
            with_fallback = intent_scores(gold, [
                OUT_OF_SCOPE if g == OUT_OF_SCOPE and p == FALLBACK else p
                for g, p in zip(gold, (predicted(r, threshold or 0.0, ambiguity) for r in part))])
            entry[name] = {"no_fallback": raw, "with_configured_fallback": with_fallback}
            if name == "shipped":
                entry[name]["misrecognised"] = [
                    {"text": t, "gold": g, "predicted": predicted(r)}
                    for (t, g), r in zip(sets[lang], part) if predicted(r) != g]
        if not shipped_only:
            entry["understanding"] = understanding_scores(lang)
        results["languages"][lang] = entry
        offset += n

    if not shipped_only:
        gold_all = [i for lang in LANGUAGES for _, i in sets[lang]]
        for name, rankings in systems.items():
            curve = fallback_curve(gold_all, rankings, ambiguity)
            results.setdefault("fallback", {})[name] = {"curve": curve, "chosen": choose_threshold(curve)}
        mean_f1 = {name: round(sum(results["languages"][l][name]["no_fallback"]["macro_f1"] for l in LANGUAGES)
                               / len(LANGUAGES), 4) for name in systems}
        results["mean_macro_f1"] = mean_f1
        results["better"] = max(mean_f1, key=mean_f1.get)
    return results


def _summary(results: Dict[str, Any]) -> str:
    lines = [f"{'lang':5}{'system':10}{'acc':>8}{'macroF1':>9}{'acc@fb':>8}   understanding P/R"]
    for lang, entry in results["languages"].items():
        for name in ("shipped", "baseline"):
            if name not in entry:
                continue
            raw, fb = entry[name]["no_fallback"], entry[name]["with_configured_fallback"]
            understanding = ""
            if name == "shipped" and "understanding" in entry:
                u = entry["understanding"]
                understanding = (f"{u.get('precision')}/{u.get('recall')}" if "error" not in u else u["error"][:60])
            lines.append(f"{lang:5}{name:10}{raw['accuracy']:>8.3f}{raw['macro_f1']:>9.3f}{fb['accuracy']:>8.3f}   {understanding}")
    for name, fallback in results.get("fallback", {}).items():
        lines.append(f"fallback threshold for {name}: {fallback['chosen']}")
    if "better" in results:
        lines.append(f"mean macro F1: {results['mean_macro_f1']} -> better: {results['better']}")
    lines.append(f"configured FallbackClassifier threshold: {results['configured_fallback_threshold']}")
    return "\n".join(lines)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shipped-only", action="store_true", help="only the shipped model's intents")
    parser.add_argument("--model", type=Path, default=MODEL)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    if not args.model.exists():
        print(f"no model at {args.model}: run `make train` first", file=sys.stderr)
        return 2
    results = evaluate(shipped_only=args.shipped_only, model=args.model.resolve())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")
    print(_summary(results))
    print(f"written: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
