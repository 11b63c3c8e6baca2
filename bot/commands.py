"""The command menu Telegram shows next to the text field, in each seller's language."""

from __future__ import annotations

from telegram import Bot, BotCommand, BotCommandScopeChat

from bot.texts import LANGUAGES, N_, Texts

COMMANDS = (
    ("meet", N_("command.meet")),
    ("today", N_("command.today")),
    ("pipeline", N_("command.pipeline")),
    ("find", N_("command.find")),
    ("brief", N_("command.brief")),
    ("contacts", N_("command.contacts")),
    ("status", N_("command.status")),
    ("start", N_("command.start")),
    ("help", N_("command.help")),
    ("settings", N_("command.settings")),
    ("cancel", N_("command.cancel")),
)

# Telegram language codes that should see the Norwegian menu.
MENU_LANGUAGE_CODES = {"en": ("",), "nb": ("nb", "no", "nn")}


def menu(language: str) -> list[BotCommand]:
    t = Texts(language)
    return [BotCommand(command, t(key)) for command, key in COMMANDS]


async def set_default_menus(bot: Bot) -> None:
    """English for everyone, Norwegian for Telegram clients set to a Norwegian language."""
    for language in LANGUAGES:
        for code in MENU_LANGUAGE_CODES[language]:
            await bot.set_my_commands(menu(language), language_code=code or None)


async def set_chat_menu(bot: Bot, chat_id: int, language: str) -> None:
    """The seller's own choice of language wins over their Telegram client's."""
    await bot.set_my_commands(menu(language), scope=BotCommandScopeChat(chat_id))
