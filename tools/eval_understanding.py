"""Field-level precision and recall of bot.understanding on the message tables in tests/understanding/.

A fact counts as correct only with the right field and the right value; a fact the table does not
list counts against precision (a wrong fact is worse than a missing one), a listed fact not found
against recall.

    .venv/bin/python tools/eval_understanding.py            # held-out tables, all languages
    .venv/bin/python tools/eval_understanding.py --split train --lang en -v

`evaluate(lang)` is what `make eval` calls.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Optional

import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.understanding import understand  # noqa: E402

TABLES = ROOT / "tests" / "understanding"
LANGUAGES = ("en", "pl", "uk", "ru")
#: the day the tables' relative dates are written against (as tests/conftest.py pins it)
TODAY = datetime.date(2026, 11, 23)
FLAGS = ("dont_know", "asks_why", "subject", "language_request")


def load(lang: str, split: str = "held_out") -> List[Dict[str, Any]]:
    path = TABLES / f"{split}_{lang}.yml"
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle) or []


def _normal(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value.date()
    return value


def run_case(case: Dict[str, Any], lang: str):
    return understand(case["text"], lang, case.get("asking"), TODAY, case.get("known"))


def compare(case: Dict[str, Any], got) -> Dict[str, Any]:
    expected = {k: _normal(v) for k, v in (case.get("facts") or {}).items()}
    found = {k: _normal(f.value) for k, f in got.facts.items()}
    tp = sum(1 for k, v in found.items() if k in expected and expected[k] == v)
    wrong = {k: v for k, v in found.items() if k not in expected or expected[k] != v}
    missed = {k: v for k, v in expected.items() if k not in found or found[k] != v}
    flags = {
        flag: (getattr(got, flag), case.get(flag, False if flag in ("dont_know", "asks_why") else None)) for flag in FLAGS
    }
    flag_errors = {f: pair for f, pair in flags.items() if pair[0] != pair[1]}
    return {"tp": tp, "wrong": wrong, "missed": missed, "flag_errors": flag_errors}


def evaluate(lang: str, split: str = "held_out", cases: Optional[List[Dict[str, Any]]] = None) -> Dict[str, Any]:
    """Precision, recall and speed of the understanding step on one language's table."""
    cases = load(lang, split) if cases is None else cases
    # the first calls load dateparser's and the lemmatizers' data: not part of the per-message time
    for text in ("warm up 1 March 2027", "я з України до 1 березня 2027", "mam pesel do 1 marca 2027"):
        understand(text, lang, None, TODAY)
    tp = fp = fn = flag_ok = flag_total = 0
    errors = []
    started = time.perf_counter()
    for case in cases:
        result = compare(case, run_case(case, lang))
        tp += result["tp"]
        fp += len(result["wrong"])
        fn += len(result["missed"])
        flag_total += len(FLAGS)
        flag_ok += len(FLAGS) - len(result["flag_errors"])
        if result["wrong"] or result["missed"] or result["flag_errors"]:
            errors.append({"text": case["text"], "asking": case.get("asking"), **result})
    elapsed = time.perf_counter() - started
    return {
        "language": lang,
        "split": split,
        "messages": len(cases),
        "precision": round(tp / (tp + fp), 4) if tp + fp else 1.0,
        "recall": round(tp / (tp + fn), 4) if tp + fn else 1.0,
        "true_positives": tp,
        "wrong_facts": fp,
        "missed_facts": fn,
        "flag_accuracy": round(flag_ok / flag_total, 4) if flag_total else 1.0,
        "ms_per_message": round(1000 * elapsed / max(1, len(cases)), 2),
        "errors": errors,
    }


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=LANGUAGES, action="append")
    parser.add_argument("--split", default="held_out", choices=("held_out", "train"))
    parser.add_argument("-v", "--verbose", action="store_true", help="list every error")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    reports = []
    for lang in args.lang or LANGUAGES:
        if not (TABLES / f"{args.split}_{lang}.yml").exists():
            continue
        report = evaluate(lang, args.split)
        reports.append(report)
        if not args.json:
            print(
                f"{lang} {args.split}: {report['messages']} messages  precision {report['precision']:.3f}  "
                f"recall {report['recall']:.3f}  flags {report['flag_accuracy']:.3f}  "
                f"{report['ms_per_message']:.1f} ms/message"
            )
            if args.verbose:
                for error in report["errors"]:
                    print("   ", json.dumps(error, ensure_ascii=False, default=str))
    if args.json:
        print(json.dumps(reports, ensure_ascii=False, default=str, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
