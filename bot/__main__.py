"""`python -m bot`: read settings, then migrate and poll until SIGINT or SIGTERM.

With a command (`backup`, `restore`, `copy-db`), run that instead: see `bot.cli`.
"""

from __future__ import annotations

import asyncio
import sys

from pydantic import ValidationError
from telegram.error import InvalidToken, NetworkError

from bot import cli
from bot.app import ALLOWED_UPDATES, build_application
from bot.config import Settings
from bot.logs import configure_logging
from bot.polling import PollingBot
from bot.webhook import serve

EXIT_BAD_CONFIG = 2
EXIT_TOKEN_REFUSED = 3
EXIT_UNREACHABLE = 4


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


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    if arguments:
        return cli.main(arguments)
    try:
        settings = Settings()  # type: ignore[call-arg]  # read from the environment
    except ValidationError as error:
        print(_config_error(error), file=sys.stderr)
        return EXIT_BAD_CONFIG
    configure_logging(settings.log_level, secrets=[settings.token])
    application = build_application(settings)
    bot = application.bot
    assert isinstance(bot, PollingBot)
    bot.when_revoked(application.stop_running)
    try:
        if settings.webhook_url:
            asyncio.run(serve(application, ALLOWED_UPDATES))
        else:
            application.run_polling(allowed_updates=ALLOWED_UPDATES)
    except InvalidToken:
        print(
            "prospekt: Telegram refused TELEGRAM_BOT_TOKEN (401 Unauthorized). "
            "Check the token with @BotFather.",
            file=sys.stderr,
        )
        return EXIT_TOKEN_REFUSED
    except NetworkError as error:
        print(
            f"prospekt: cannot reach the Bot API at {settings.telegram_api_url} "
            f"({type(error).__name__}). Check TELEGRAM_API_URL and the network.",
            file=sys.stderr,
        )
        return EXIT_UNREACHABLE
    if bot.token_revoked:
        print(
            "prospekt: Telegram stopped accepting TELEGRAM_BOT_TOKEN while running "
            "(401 Unauthorized); it was revoked or replaced. Set the new one from @BotFather.",
            file=sys.stderr,
        )
        return EXIT_TOKEN_REFUSED
    return 0


if __name__ == "__main__":
    sys.exit(main())
