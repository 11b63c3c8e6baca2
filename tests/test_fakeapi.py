"""The fake Bot API answers a real PTB Application the way Telegram would."""

from __future__ import annotations

import asyncio
import datetime as dtm
import html
import re
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
from telegram import (
    Bot,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    MenuButtonCommands,
    MessageOriginHiddenUser,
    MessageOriginUser,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter, TimedOut
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest

from tests.fakeapi import (
    DEFAULT_TOKEN,
    FakeTelegramServer,
    HtmlError,
    PhoneUser,
    TrackingUpdateProcessor,
    UserActionError,
    parse_html,
    running_bot,
)

App = Application[Any, Any, Any, Any, Any, Any]
Context = ContextTypes.DEFAULT_TYPE


# -- a tiny bot --------------------------------------------------------------------------


def _message(update: Update) -> Any:
    assert update.effective_message is not None
    return update.effective_message


async def start(update: Update, context: Context) -> None:
    name = html.escape(update.effective_user.first_name if update.effective_user else "")
    buttons = [[InlineKeyboardButton("Yes", callback_data="yes")]]
    buttons.append([InlineKeyboardButton("No", callback_data="no")])
    await _message(update).reply_html(
        f"Hei, <b>{name}</b> &amp; welcome!", reply_markup=InlineKeyboardMarkup(buttons)
    )


async def chosen(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer(f"You chose {query.data}")
    await query.edit_message_text(f"Chosen: {query.data}")


async def raw_html(update: Update, context: Context) -> None:
    await _message(update).reply_html(_message(update).text.removeprefix("/html "))


async def big_data(update: Update, context: Context) -> None:
    button = InlineKeyboardButton("Open", callback_data="d" * 65)
    await _message(update).reply_text("Lead", reply_markup=InlineKeyboardMarkup([[button]]))


async def same_edit(update: Update, context: Context) -> None:
    sent = await _message(update).reply_text("Same")
    await sent.edit_text("Same")


async def keyboard(update: Update, context: Context) -> None:
    rows: list[list[str | KeyboardButton]] = [["Leads"]]
    rows[0].append(KeyboardButton("Share phone", request_contact=True))
    markup = ReplyKeyboardMarkup(rows, resize_keyboard=True)
    await _message(update).reply_text("Menu", reply_markup=markup)


async def on_document(update: Update, context: Context) -> None:
    message = _message(update)
    data = bytes(await (await message.document.get_file()).download_as_bytearray())
    name = f"echo-{message.document.file_name}"
    await message.reply_document(data.upper(), filename=name, caption=f"{len(data)} bytes")


async def on_contact(update: Update, context: Context) -> None:
    contact = _message(update).contact
    await _message(update).reply_text(f"Contact: {contact.first_name} {contact.phone_number}")


async def on_forward(update: Update, context: Context) -> None:
    origin = _message(update).forward_origin
    if isinstance(origin, MessageOriginUser):
        who = f"{origin.sender_user.full_name} ({origin.sender_user.id})"
    else:
        assert isinstance(origin, MessageOriginHiddenUser)
        who = f"{origin.sender_user_name} (hidden)"
    await _message(update).reply_text(f"Forwarded from {who}")


async def echo(update: Update, context: Context) -> None:
    await _message(update).reply_text(_message(update).text)


async def set_commands(app: App) -> None:
    await app.bot.set_my_commands([("start", "Start"), ("help", "Help")])


def build_app(
    server: FakeTelegramServer, errors: list[BaseException], *, tracked: bool = True
) -> App:
    builder = (
        ApplicationBuilder()
        .token(server.token)
        .base_url(f"{server.url}/bot")
        .base_file_url(f"{server.url}/file/bot")
        # Plain HTTP to 127.0.0.1: skip loading the CA bundle (~30 ms per client).
        .request(HTTPXRequest(httpx_kwargs={"verify": False}))
        .get_updates_request(HTTPXRequest(httpx_kwargs={"verify": False}))
    )
    if tracked:
        builder = builder.concurrent_updates(TrackingUpdateProcessor(1))
    app = builder.post_init(set_commands).build()

    async def on_error(update: object, context: Context) -> None:
        assert context.error is not None
        errors.append(context.error)

    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("html", raw_html))
    app.add_handler(CommandHandler("bigdata", big_data))
    app.add_handler(CommandHandler("same", same_edit))
    app.add_handler(CommandHandler("keyboard", keyboard))
    app.add_handler(CallbackQueryHandler(chosen))
    app.add_handler(MessageHandler(filters.Document.ALL, on_document))
    app.add_handler(MessageHandler(filters.CONTACT, on_contact))
    app.add_handler(MessageHandler(filters.FORWARDED, on_forward))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    app.add_error_handler(on_error)
    return app


@dataclass
class Harness:
    server: FakeTelegramServer
    app: App
    user: PhoneUser
    errors: list[BaseException] = field(default_factory=list)


@pytest.fixture
async def server() -> AsyncIterator[FakeTelegramServer]:
    async with FakeTelegramServer(DEFAULT_TOKEN) as fake:
        yield fake


@pytest.fixture
async def bot(server: FakeTelegramServer) -> AsyncIterator[Harness]:
    errors: list[BaseException] = []
    app = build_app(server, errors)
    async with running_bot(app, server):
        yield Harness(server, app, server.user(1001, "Kari"), errors)


# -- conversations -----------------------------------------------------------------------


async def test_a_command_and_an_echo_come_back_with_shared_message_ids(bot: Harness) -> None:
    [welcome] = await bot.user.send("/start")
    assert welcome.text == "Hei, Kari & welcome!"
    assert welcome.raw_text == "Hei, <b>Kari</b> &amp; welcome!"
    assert welcome.entities == ({"type": "bold", "offset": 5, "length": 4},)
    assert welcome.buttons == [["Yes"], ["No"]]
    assert welcome.callback_data == {"Yes": "yes", "No": "no"}
    [reply] = await bot.user.send("hello")
    assert (welcome.message_id, reply.message_id, reply.text) == (2, 4, "hello")
    assert bot.server.processor is not None
    assert bot.server.processor.done == {1, 2}, "completion came from the tracking processor"
    assert bot.user.transcript() == (
        "> user: /start\n"
        "< bot: Hei, Kari & welcome! [buttons: Yes / No]\n"
        "> user: hello\n"
        "< bot: hello"
    )
    bot.server.assert_no_errors()


async def test_pressing_a_button_answers_the_query_and_edits_the_message(bot: Harness) -> None:
    await bot.user.send("/start")
    [edit] = await bot.user.press("No")
    assert (edit.edited, edit.text, edit.buttons) == (True, "Chosen: no", [])
    assert bot.user.last_callback_answer is not None
    assert bot.user.last_callback_answer.text == "You chose no"
    assert bot.user.last_message == edit
    assert '> user: [pressed "No" on #2]' in bot.user.transcript()
    with pytest.raises(UserActionError, match="No bot message with inline buttons"):
        await bot.user.press("Yes")
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.app.bot.answer_callback_query("123")
    assert [e.description for e in bot.server.errors] == [
        "Bad Request: query is too old and response timeout expired or query ID is invalid"
    ]


async def test_a_missing_button_lists_the_ones_there_are(bot: Harness) -> None:
    await bot.user.send("/start")
    with pytest.raises(UserActionError, match=r'No inline button "Maybe".*Available: "Yes", "No"'):
        await bot.user.press("Maybe")


async def test_malformed_html_fails_the_send_like_telegram(bot: Harness) -> None:
    assert await bot.user.send("/html <b>unclosed") == []
    [error] = bot.errors
    assert isinstance(error, BadRequest)
    assert bot.server.errors[-1].description == (
        "Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"b\""
    )
    [ok] = await bot.user.send("/html <i>2 &lt; 3</i>")
    assert ok.text == "2 < 3"


async def test_65_bytes_of_callback_data_are_refused(bot: Harness) -> None:
    assert await bot.user.send("/bigdata") == []
    assert isinstance(bot.errors[0], BadRequest)
    assert bot.server.errors[0].description == "Bad Request: BUTTON_DATA_INVALID"


async def test_a_blocked_user_makes_sends_fail_with_forbidden(bot: Harness) -> None:
    bot.server.block(bot.user.user_id)
    assert await bot.user.send("hello") == []
    [error] = bot.errors
    assert isinstance(error, Forbidden)
    assert bot.server.errors[0].status == 403
    assert bot.server.errors[0].description == "Forbidden: bot was blocked by the user"


async def test_editing_to_the_same_content_is_not_modified(bot: Harness) -> None:
    [sent] = await bot.user.send("/same")
    assert sent.text == "Same"
    [error] = bot.errors
    assert isinstance(error, BadRequest)
    assert error.message.startswith("Message is not modified")
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.app.bot.edit_message_text("x", chat_id=bot.user.user_id, message_id=99)


async def test_a_document_goes_through_get_file_download_and_back(bot: Harness) -> None:
    csv = b"name,phone\nola,+4712345678\n"
    [reply] = await bot.user.send_document(csv, "leads.csv", "text/csv")
    assert reply.kind == "document"
    assert reply.file is not None
    assert (reply.file.file_name, reply.file.data) == ("echo-leads.csv", csv.upper())
    assert reply.text == f"{len(csv)} bytes"
    assert [c.method for c in bot.server.calls if c.method in {"getFile", "file"}] == [
        "getFile",
        "file",
    ]
    bot.server.assert_no_errors()


async def test_reply_keyboard_contact_and_forwards(bot: Harness) -> None:
    await bot.user.send("/keyboard")
    assert bot.user.reply_keyboard == [["Leads", "Share phone"]]
    [echoed] = await bot.user.tap_reply_button("Leads")
    assert echoed.text == "Leads"
    [contact] = await bot.user.tap_reply_button("Share phone", phone_number="+4799999999")
    assert contact.text == "Contact: Kari +4799999999"
    with pytest.raises(UserActionError, match=re.escape("keyboard: Leads | Share phone")):
        await bot.user.tap_reply_button("Settings")
    [seen] = await bot.user.forward_from("Call me", first_name="Ola", last_name="Nordmann")
    assert seen.text == "Forwarded from Ola Nordmann (900000001)"
    [hidden] = await bot.user.forward_from("Hi", first_name="Anon", hidden=True)
    assert hidden.text == "Forwarded from Anon (hidden)"
    bot.server.assert_no_errors()


# -- limits, flood control and bookkeeping, called straight through PTB's Bot ---------------


async def test_text_length_is_counted_after_parsing_in_utf16(bot: Harness) -> None:
    send, chat = bot.app.bot.send_message, bot.user.user_id
    await send(chat, "x" * 4096)
    await send(chat, "<b>" + "&amp;" * 4096 + "</b>", parse_mode=ParseMode.HTML)
    await send(chat, "😀" * 2048)
    for too_long in ("x" * 4097, "😀" * 2049):
        with pytest.raises(BadRequest, match="Message is too long"):
            await send(chat, too_long)
    with pytest.raises(BadRequest, match="Message text is empty"):
        await send(chat, "<b> </b>", parse_mode=ParseMode.HTML)


async def test_a_forced_429_reaches_ptb_as_retry_after(
    bot: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")  # else PTB 22 warns when building RetryAfter
    bot.server.flood.force(1, retry_after=3)
    with pytest.raises(RetryAfter) as caught:
        await bot.app.bot.send_message(bot.user.user_id, "hi")
    assert caught.value.retry_after == dtm.timedelta(seconds=3)
    await bot.app.bot.send_message(bot.user.user_id, "hi")
    assert bot.server.errors[0].response["parameters"] == {"retry_after": 3}
    assert bot.server.flood.rejected == 1


async def test_deliver_then_time_out_delivers_every_message_and_answers_some_too_late(
    bot: Harness,
) -> None:
    bot.server.deliver_then_time_out(0.5, stall=0.5)
    outcomes = []
    for n in range(4):
        try:
            await bot.app.bot.send_message(bot.user.user_id, f"m{n}", read_timeout=0.1)
            outcomes.append("ok")
        except TimedOut:
            outcomes.append("timed out")

    assert outcomes == ["ok", "timed out", "ok", "timed out"]
    assert [m.text for m in bot.server.chat(bot.user.user_id).messages] == ["m0", "m1", "m2", "m3"]
    sends = bot.server.calls_to("sendMessage")
    assert [(call.status, call.late) for call in sends] == [(200, False), (200, True)] * 2
    bot.server.deliver_then_time_out(0)
    await bot.app.bot.send_message(bot.user.user_id, "m4", read_timeout=0.1)


async def test_real_rates_allow_one_message_per_second_per_chat(
    bot: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    bot.server.flood.enforce = True
    other = bot.server.user(1002, "Ola")
    await bot.app.bot.send_message(bot.user.user_id, "one")
    await bot.app.bot.send_message(other.user_id, "one")
    with pytest.raises(RetryAfter):
        await bot.app.bot.send_message(bot.user.user_id, "two")
    assert bot.server.flood.rejected == 1


async def test_commands_are_kept_per_scope_and_language(bot: Harness) -> None:
    api = bot.app.bot
    assert bot.server.commands() == [("start", "Start"), ("help", "Help")], "set in post_init"
    scope = BotCommandScopeAllPrivateChats()
    await api.set_my_commands([("start", "Begynn")], scope=scope, language_code="nb")
    assert bot.server.commands() == [("start", "Start"), ("help", "Help")]
    assert bot.server.commands(scope, "nb") == [("start", "Begynn")]
    assert [c.command for c in await api.get_my_commands(scope=scope, language_code="nb")] == [
        "start"
    ]
    chat_scope = BotCommandScopeChat(bot.user.user_id)
    await api.set_my_commands([("settings", "Innstillinger")], scope=chat_scope)
    assert bot.server.commands({"type": "chat", "chat_id": 1001}) == [("settings", "Innstillinger")]
    with pytest.raises(BadRequest, match="Chat not found"):
        await api.set_my_commands([("start", "Start")], scope=BotCommandScopeChat(4242))
    await api.delete_my_commands()
    assert bot.server.commands() == []
    with pytest.raises(BadRequest, match=r"(?i)bot_command_invalid"):
        await api.set_my_commands([("Start!", "Start")])


async def test_other_methods_keep_chat_state(bot: Harness) -> None:
    api, chat = bot.app.bot, bot.user.user_id
    first = await api.send_message(chat, "one")
    photo = await api.send_photo(chat, b"\x89PNG\r\n\x1a\n" + bytes(16), caption="<i>pic</i>")
    assert photo.photo[-1].file_id
    assert await api.delete_message(chat, first.message_id)
    assert [m.text for m in bot.user.messages] == ["<i>pic</i>"]
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await api.delete_message(chat, first.message_id)
    assert await api.send_chat_action(chat, "typing")
    assert await api.set_chat_menu_button(chat, MenuButtonCommands())
    assert bot.server.chat(chat).actions == ["typing"]
    assert await api.set_my_description("Your pocket CRM", language_code="nb")
    assert (await api.get_my_description("nb")).description == "Your pocket CRM"
    with pytest.raises(BadRequest, match="Chat not found"):
        await api.send_message(4242, "who?")


# -- the harness itself ------------------------------------------------------------------


async def test_without_a_tracking_processor_a_quiet_period_is_awaited(
    server: FakeTelegramServer,
) -> None:
    errors: list[BaseException] = []
    app = build_app(server, errors, tracked=False)
    user = server.user(1003, "Per")
    async with running_bot(app, server):
        [reply] = await user.send("still answered")
        assert reply.text == "still answered"
        started = time.monotonic()
    assert time.monotonic() - started < 0.5, "stopping must not wait for a long poll"


async def test_a_bot_that_never_polls_times_out_with_a_reason() -> None:
    async with FakeTelegramServer(wait_timeout=0.1) as server:
        with pytest.raises(TimeoutError, match="never fetched it with getUpdates"):
            await server.user().send("/start")


async def test_raw_http_tokens_methods_bodies_and_long_polling(
    server: FakeTelegramServer,
) -> None:
    base = f"{server.url}/bot{server.token}"
    server.user(1001, "Kari")
    async with aiohttp.ClientSession() as http:

        async def call(method: str, **params: Any) -> tuple[int, Any]:
            async with http.post(f"{base}/{method}", json=params) as response:
                return response.status, await response.json()

        async with http.get(f"{server.url}/bot1:wrong/getMe") as response:
            assert (response.status, await response.json()) == (
                401,
                {"ok": False, "error_code": 401, "description": "Unauthorized"},
            )
        assert (await call("fooBar"))[0] == 404
        query = {"chat_id": "1001", "text": "via GET"}
        async with http.get(f"{base}/sendMessage", params=query) as response:
            assert (await response.json())["result"]["text"] == "via GET"
        markup = {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}
        status, body = await call("sendMessage", chat_id=1001, text="hi", reply_markup=markup)
        assert (status, body["result"]["reply_markup"]) == (200, markup)

        poll = asyncio.create_task(call("getUpdates", timeout=5))
        await asyncio.sleep(0.05)
        assert not poll.done()
        update_id = server.push_update({"message": {"message_id": 9, "date": 0, "text": "x"}})
        started = time.monotonic()
        _, body = await poll
        assert time.monotonic() - started < 0.5
        assert [u["update_id"] for u in body["result"]] == [update_id]
        _, again = await call("getUpdates")
        assert again["result"] == body["result"], "unconfirmed updates are delivered again"
        _, after = await call("getUpdates", offset=update_id + 1)
        assert after["result"] == []

        server.push_update({"message": {"message_id": 10, "date": 0, "text": "y"}})
        _, filtered = await call("getUpdates", allowed_updates=["callback_query"])
        assert filtered["result"] == []
    with pytest.raises(InvalidToken):
        async with Bot("1:wrong", base_url=f"{server.url}/bot"):
            pass


# -- the HTML parser ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("markup", "visible"),
    [
        ("<b>bold</b> <i>it</i> <u>u</u> <s>s</s> <code>c</code>", "bold it u s c"),
        ('<a href="https://x.no/?a=1&b=2">link</a>', "link"),
        ('<span class="tg-spoiler">x</span><tg-spoiler>y</tg-spoiler>', "xy"),
        ("<blockquote expandable>quote</blockquote>", "quote"),
        ('<pre><code class="language-python">1</code></pre>', "1"),
        ('<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>', "👍"),
        ("&lt;&gt;&amp;&quot;&#65;&#x42;", '<>&"AB'),
        ("<B>case</B> 1 > 0", "case 1 > 0"),
    ],
)
def test_html_telegram_accepts(markup: str, visible: str) -> None:
    assert parse_html(markup).text == visible


@pytest.mark.parametrize(
    ("markup", "error"),
    [
        ("line<br>break", 'Unsupported start tag "br" at byte offset 4'),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("Tom & Jerry", 'Unescaped "&" at byte offset 4'),
        ("&nbsp;", 'Unescaped "&"'),
        ('<span class="x">y</span>', 'Tag "span" must have class "tg-spoiler"'),
        ("<b", "Unclosed start tag at byte offset 0"),
    ],
)
def test_html_telegram_rejects(markup: str, error: str) -> None:
    with pytest.raises(HtmlError, match=re.escape(error)):
        parse_html(markup)


def test_html_entities_have_utf16_offsets_like_telegram() -> None:
    parsed = parse_html("😀 <b>hi</b> <pre><code class='language-py'>x</code></pre>")
    assert parsed.entities == (
        {"type": "bold", "offset": 3, "length": 2},
        {"type": "pre", "offset": 6, "length": 1, "language": "py"},
    )
    assert parse_html("a & b", strict_ampersand=False).text == "a & b"


async def test_the_processor_marks_an_update_done_even_when_handling_fails() -> None:
    processor = TrackingUpdateProcessor(max_concurrent_updates=1)

    async def boom() -> None:
        raise RuntimeError("handler crashed")

    with pytest.raises(RuntimeError):
        await processor.process_update(Update(update_id=7), boom())
    await processor.wait_for(7, timeout=0.1)
    assert isinstance(processor.failures[7], RuntimeError)
    with pytest.raises(TimeoutError, match="update 8 was not fully handled"):
        await processor.wait_for(8, timeout=0.01)
