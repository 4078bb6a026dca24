"""Command line: `python -m bot recommend --situation '<json>' [--today] [--lang] [--json]`, `python -m bot serve`."""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
from typing import List, Optional

from pydantic import ValidationError

from bot import i18n
from bot.render import as_text
from bot.routing import Situation, recommend


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in YYYY-MM-DD form: {text!r}")


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    rec = commands.add_parser("recommend", help="print the recommendation for a situation")
    rec.add_argument("--situation", required=True, help='the Situation as JSON, e.g. \'{"procedure": "cukr"}\'')
    rec.add_argument("--today", type=_date, default=None, help="the date to apply the law on (default: today)")
    rec.add_argument("--lang", default=i18n.DEFAULT_LANGUAGE, choices=i18n.SUPPORTED_LANGUAGES)
    rec.add_argument("--json", action="store_true", help="print the Recommendation as JSON")
    srv = commands.add_parser("serve", help="run the web service")
    srv.add_argument("--port", type=int, default=int(os.environ.get("WEB_PORT", 8080)))
    srv.add_argument("--host", default="127.0.0.1")
    prg = commands.add_parser("purge", help="delete conversations idle for longer than the retention period")
    prg.add_argument("--older-than", default=None, help="e.g. 30d or 12h (default: RETENTION_DAYS, else 30 days)")
    args = parser.parse_args(argv)

    if args.command == "purge":
        from bot import purge

        try:
            older_than = purge.parse_duration(args.older_than) if args.older_than else purge.retention()
        except ValueError as error:
            print(f"--older-than: {error}", file=sys.stderr)
            return 2
        print(f"Deleted {purge.purge(older_than)} conversations idle for more than {older_than}.")
        return 0
    if args.command == "serve":
        from bot.web.app import serve

        serve(args.port, args.host)
        return 0
    try:
        situation = Situation(**json.loads(args.situation))
    except json.JSONDecodeError as error:
        print(f"--situation is not valid JSON: {error}", file=sys.stderr)
        return 2
    except (ValidationError, TypeError) as error:
        print(f"--situation does not validate:\n{error}", file=sys.stderr)
        return 2
    today = args.today or datetime.date.today()
    problem = situation.problem_on(today)
    if problem:
        print(f"--situation does not validate: {problem}", file=sys.stderr)
        return 2
    result = recommend(situation, today, args.lang)
    print(result.json(indent=2) if args.json else as_text(result))
    return 0
