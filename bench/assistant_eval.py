"""The assistant's evaluation: 200 messages in four languages as customers write them
(tests/service/assistant_messages.py), each understood as the assistant does; prints how
many were right per language and the confusion table (intent meant → intent taken).

    .venv/bin/python bench/assistant_eval.py [--report FILE]

Runs on a fresh SQLite database in a temporary folder with the demo FAQ loaded. Target
(issue 15): at least 90 % right.
"""

import argparse
import os
import subprocess
import sys
import tempfile
from collections import Counter
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--report")
    args = parser.parse_args()
    os.environ["TANDEM_VAR_DIR"] = tempfile.mkdtemp(prefix="tandem-assistant-")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    import django

    django.setup()
    from django.core.management import call_command

    from tandem.service.assistant import understand
    from tandem.service.demo_faq import faq_demo_load
    from tests.service.assistant_messages import MESSAGES

    call_command("migrate", verbosity=0)
    faq_demo_load()
    confusion: Counter = Counter()
    right: Counter = Counter()
    total: Counter = Counter()
    for language, text, meant in MESSAGES:
        taken = understand(text, "en").intent
        confusion[(meant, taken)] += 1
        total[language] += 1
        right[language] += taken == meant
    intents = sorted({meant for meant, _taken in confusion} | {taken for _meant, taken in confusion})
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "describe", "--always", "--dirty"], capture_output=True, text=True
    ).stdout.strip()
    share = sum(right.values()) / sum(total.values())
    lines = [
        f"`bench/assistant_eval.py` — commit {commit}, {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}; "
        f"{sum(total.values())} messages.\n",
        "| language | right | of | share |",
        "|---|---:|---:|---:|",
        *(f"| {lang} | {right[lang]} | {total[lang]} | {right[lang] / total[lang]:.0%} |" for lang in total),
        f"| all | {sum(right.values())} | {sum(total.values())} | {share:.1%} |",
        "",
        "Confusion (rows: the intent meant; columns: the intent taken):",
        "",
        "| meant \\ taken | " + " | ".join(intents) + " |",
        "|---|" + "---:|" * len(intents),
        *(
            f"| {meant} | " + " | ".join(str(confusion[(meant, taken)] or "") for taken in intents) + " |"
            for meant in intents
        ),
        "",
        f"Verdict (≥ 90 % right): {'pass' if share >= 0.9 else 'FAIL'}.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.report:
        Path(args.report).write_text(text)


if __name__ == "__main__":
    main()
