"""The command menu Telegram shows next to the text field, in each seller's language."""

from __future__ import annotations

from typing import NamedTuple

from telegram import Bot, BotCommand, BotCommandScopeChat

from bot.texts import LANGUAGES, N_, Texts


class Command(NamedTuple):
    """A command in the menu: its name, its one-line menu description and its line in /help
    (which lists every command here, so none can be left out of it)."""

    name: str
    menu: str
    help: str


COMMANDS = (
    Command("meet", N_("command.meet"), N_("help.meet")),
    Command("today", N_("command.today"), N_("help.today")),
    Command("pipeline", N_("command.pipeline"), N_("help.pipeline")),
    Command("find", N_("command.find"), N_("help.find")),
    Command("brief", N_("command.brief"), N_("help.brief")),
    Command("contacts", N_("command.contacts"), N_("help.contacts")),
    Command("status", N_("command.status"), N_("help.status")),
    Command("start", N_("command.start"), N_("help.start")),
    Command("help", N_("command.help"), N_("help.help")),
    Command("settings", N_("command.settings"), N_("help.settings")),
    Command("export", N_("command.export"), N_("help.export")),
    Command("calendar", N_("command.calendar"), N_("help.calendar")),
    Command("forget_me", N_("command.forget_me"), N_("help.forget_me")),
    Command("cancel", N_("command.cancel"), N_("help.cancel")),
)

# Telegram language codes that should see the Norwegian menu.
MENU_LANGUAGE_CODES = {"en": ("",), "nb": ("nb", "no", "nn")}


def menu(language: str) -> list[BotCommand]:
    t = Texts(language)
    return [BotCommand(command.name, t(command.menu)) for command in COMMANDS]


async def set_default_menus(bot: Bot) -> None:
    """English for everyone, Norwegian for Telegram clients set to a Norwegian language."""
    for language in LANGUAGES:
        for code in MENU_LANGUAGE_CODES[language]:
            await bot.set_my_commands(menu(language), language_code=code or None)


async def set_chat_menu(bot: Bot, chat_id: int, language: str) -> None:
    """The seller's own choice of language wins over their Telegram client's."""
    await bot.set_my_commands(menu(language), scope=BotCommandScopeChat(chat_id))
