"""`python -m bot`: read settings, then migrate and poll until SIGINT or SIGTERM."""

from __future__ import annotations

import sys

from pydantic import ValidationError

from bot.app import ALLOWED_UPDATES, build_application
from bot.config import Settings
from bot.logs import configure_logging

EXIT_BAD_CONFIG = 2


def _config_error(error: ValidationError) -> str:
    """One line per problem, naming the environment variable, never echoing a value."""
    lines = []
    for problem in error.errors():
        name = "_".join(str(part) for part in problem["loc"]).upper() or "settings"
        reason = (
            "is missing"
            if problem["type"] == "missing"
            else problem["msg"].removeprefix("Value error, ")
        )
        lines.append(f"prospekt: {name} {reason}. See .env.example.")
    return "\n".join(lines)


def main() -> int:
    try:
        settings = Settings()  # type: ignore[call-arg]  # read from the environment
    except ValidationError as error:
        print(_config_error(error), file=sys.stderr)
        return EXIT_BAD_CONFIG
    configure_logging(settings.log_level, secrets=[settings.token])
    application = build_application(settings)
    application.run_polling(allowed_updates=ALLOWED_UPDATES)
    return 0


if __name__ == "__main__":
    sys.exit(main())
