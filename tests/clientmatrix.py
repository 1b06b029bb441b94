"""Answers to intake's real author request, quoted the way common mail clients quote it.

:func:`answer` takes the request as intake composed it (an ``EmailMessage``)
and the author's new text and sign-off, and returns the bytes of a reply in
the shape of one client: its attribution line or header block (in the
user's language), how it quotes the request (``>`` lines, unquoted, an
HTML blockquote or container), where it puts a signature or device footer.
Each client writes a text body, an HTML body, or both (multipart/alternative),
as :data:`FORMATS` says.  The shapes follow what each client's own
quote templates produce (attribution strings, HTML class and id names);
no real message was copied.
"""

from __future__ import annotations

import email.policy
import email.utils
import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage

FORMATS = ("text", "html", "both")

# the author's new text: two paragraphs; and one with a list, a colon line and a closing thanks
NEW_TEXT = (
    "Thank you for sending this on. The figures in my article came from the city’s own "
    "2025 report, and I stand by them.\n\n"
    "Ms. Ponet is right that the shelters need more money: that is a question for the council, "
    "which meets again in January."
)

LIST_TEXT = (
    "I read Ms. Ponet’s letter with interest.\n\n"
    "Two points, briefly:\n"
    "- the 2025 report counts every borough;\n"
    "- the council meets on 9 December.\n\n"
    "Thank you."
)
NEW_TEXTS = {"paragraphs": NEW_TEXT, "list": LIST_TEXT}

# name -> (text lines, html lines); the author's own sign-off, or none
SIGNOFFS: dict[str, tuple[str, str]] = {
    "none": ("", ""),
    "best": ("Best,\nMichelle", "<div>Best,</div><div>Michelle</div>"),
    "dash": ("— Michelle Chen", "<div>— Michelle Chen</div>"),
    "block": (
        "-- \nMichelle Chen\nStaff writer, The Nation\n+1 212 555 0143",
        "<div>-- <br>Michelle Chen<br>Staff writer, The Nation<br>+1 212 555 0143</div>",
    ),
}


@dataclass(frozen=True, slots=True)
class Request:
    """What a client shows of the request it answers."""

    text: str
    html_body: str  # the inside of the request's <body>
    from_name: str
    from_address: str
    to_name: str
    to_address: str
    subject: str
    date: datetime

    @classmethod
    def of(cls, msg: EmailMessage) -> Request:
        text_part = msg.get_body(("plain",))
        html_part = msg.get_body(("html",))
        assert text_part is not None and html_part is not None
        body = re.search(r"<body[^>]*>(.*)</body>", html_part.get_content(), re.DOTALL)
        assert body is not None
        sender, to = msg["From"].addresses[0], msg["To"].addresses[0]
        date = email.utils.parsedate_to_datetime(str(msg["Date"]))
        return cls(
            text=text_part.get_content().replace("\r\n", "\n").rstrip("\n"),
            html_body=body.group(1),
            from_name=sender.display_name,
            from_address=sender.addr_spec,
            to_name=to.display_name,
            to_address=to.addr_spec,
            subject=str(msg["Subject"]),
            date=date,
        )

    @property
    def from_field(self) -> str:
        return f"{self.from_name} <{self.from_address}>"


def _gt(text: str, prefix: str = ">") -> str:
    return "\n".join(f"{prefix} {line}" if line else prefix for line in text.split("\n"))


def _unwrapped(text: str) -> str:
    """The request as a client that re-renders it shows it: one line per paragraph."""
    paragraphs = []
    for block in text.split("\n\n"):
        lines = block.split("\n")
        if all(line.startswith(">") for line in lines):
            paragraphs.append(block)
        else:
            paragraphs.append(" ".join(line.strip() for line in lines))
    return "\n\n".join(paragraphs)


def _divs(text: str) -> str:
    out = [
        "<div>" + "<br>".join(html.escape(x) for x in block.split("\n")) + "</div>"
        for block in text.split("\n\n")
    ]
    return "<div><br></div>".join(out)


def _mso(text: str) -> str:
    blank = '<p class="MsoNormal"><o:p>&nbsp;</o:p></p>'
    paras = [
        '<p class="MsoNormal">'
        + "<br>".join(html.escape(x) for x in b.split("\n"))
        + "<o:p></o:p></p>"
        for b in text.split("\n\n")
    ]
    return blank.join(paras)


# --- Outlook's header block, by language ----------------------------------------------------

_OUTLOOK: dict[str, tuple[tuple[str, str, str, str], Callable[[datetime], str]]] = {
    "en": (("From", "Sent", "To", "Subject"), lambda d: f"{d:%A, %B} {d.day}, {d:%Y} {d:%I:%M %p}"),
    "de": (("Von", "Gesendet", "An", "Betreff"), lambda d: f"Samstag, {d.day}. November {d:%Y} {d:%H:%M}"),
    "fr": (("De ", "Envoyé ", "À ", "Objet "), lambda d: f"samedi {d.day} novembre {d:%Y} {d:%H:%M}"),
    "es": (("De", "Enviado el", "Para", "Asunto"), lambda d: f"sábado, {d.day} de noviembre de {d:%Y} {d:%H:%M}"),
    "it": (("Da", "Inviato", "A", "Oggetto"), lambda d: f"sabato {d.day} novembre {d:%Y} {d:%H:%M}"),
    "nl": (("Van", "Verzonden", "Aan", "Onderwerp"), lambda d: f"zaterdag {d.day} november {d:%Y} {d:%H:%M}"),
    "pt": (("De", "Enviado", "Para", "Assunto"), lambda d: f"sábado, {d.day} de novembro de {d:%Y} {d:%H:%M}"),
    "pl": (("Od", "Wysłano", "Do", "Temat"), lambda d: f"sobota, {d.day} listopada {d:%Y} {d:%H:%M}"),
    "ja": (("差出人", "送信日時", "宛先", "件名"), lambda d: f"{d:%Y}年{d.month}月{d.day}日 {d:%H:%M}"),
}  # fmt: skip


def _outlook_fields(req: Request, lang: str) -> list[tuple[str, str]]:
    keys, date = _OUTLOOK[lang]
    values = (req.from_field, date(req.date), f"{req.to_name} <{req.to_address}>", req.subject)
    return list(zip(keys, values, strict=True))


def _outlook_text(req: Request, lang: str, rule: bool) -> str:
    fields = "\n".join(f"{key}: {value}" for key, value in _outlook_fields(req, lang))
    head = "________________________________\n" if rule else ""
    return f"{head}{fields}\n\n{_unwrapped(req.text)}"


def _outlook_fields_html(req: Request, lang: str, sep: str) -> str:
    return sep.join(
        f"<b>{html.escape(key)}:</b> {html.escape(value)}"
        for key, value in _outlook_fields(req, lang)
    )


# --- one function per client: (new text with sign-off, html of it) -> text, html ------------


@dataclass(frozen=True, slots=True)
class Client:
    name: str
    text: Callable[[Request, str], str]
    html: Callable[[Request, str], str]
    footer: str = ""  # what the client itself adds under the author's text ("Sent from my iPhone")


def _gmail_web() -> Client:
    def attribution(r: Request) -> str:
        d = r.date
        return (
            f"On {d:%a, %b} {d.day}, {d:%Y} at {d.hour % 12 or 12}:{d:%M %p} {r.from_field} wrote:"
        )

    def text(r: Request, mine: str) -> str:
        # Gmail's text part breaks a long attribution after the "<" of the address
        head, _, address = attribution(r).partition("<")
        return f"{mine}\n\n{head}<\n{address}\n\n{_gt(r.text)}\n"

    def markup(r: Request, mine: str) -> str:
        return (
            f'<div dir="ltr">{mine}</div><br><div class="gmail_quote"><div dir="ltr" '
            f'class="gmail_attr">{html.escape(attribution(r))}<br></div><blockquote '
            'class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid '
            f'rgb(204,204,204);padding-left:1ex">{r.html_body}</blockquote></div>'
        )

    return Client("gmail-web", text, markup)


def _gmail_android() -> Client:
    def attribution(r: Request) -> str:
        d = r.date
        return f"On {d:%a}, {d.day} {d:%b %Y}, {d:%H:%M} {r.from_name}, <{r.from_address}> wrote:"

    def text(r: Request, mine: str) -> str:
        return f"{mine}\n\n{attribution(r)}\n\n{_gt(r.text)}\n"

    def markup(r: Request, mine: str) -> str:
        return (
            f'<div dir="auto">{mine}</div><br><div class="gmail_quote"><div dir="ltr" '
            f'class="gmail_attr">{html.escape(attribution(r))}<br></div><blockquote '
            f'class="gmail_quote" style="margin:0 0 0 .8ex">{r.html_body}</blockquote></div>'
        )

    return Client("gmail-android", text, markup)


def _outlook_desktop(lang: str) -> Client:
    def text(r: Request, mine: str) -> str:
        return f"{mine}\n\n{_outlook_text(r, lang, rule=False)}\n"

    def markup(r: Request, mine: str) -> str:
        return (
            f'<div class="WordSection1">{mine}<p class="MsoNormal"><o:p>&nbsp;</o:p></p>'
            '<div><div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm">'
            f'<p class="MsoNormal">{_outlook_fields_html(r, lang, "<br>")}<o:p></o:p></p></div></div>'
            f'<p class="MsoNormal"><o:p>&nbsp;</o:p></p>{r.html_body}</div>'
        )

    return Client(f"outlook-desktop-{lang}", text, markup)


def _outlook_web(lang: str) -> Client:
    def text(r: Request, mine: str) -> str:
        return f"{mine}\n\n{_outlook_text(r, lang, rule=True)}\n"

    def markup(r: Request, mine: str) -> str:
        return (
            f'<div style="font-family: Calibri, Arial, Helvetica, sans-serif;">{mine}</div>'
            '<div id="appendonsend"></div><hr style="display:inline-block;width:98%" tabindex="-1">'
            '<div id="divRplyFwdMsg" dir="ltr"><font face="Calibri, sans-serif" color="#000000">'
            f"{_outlook_fields_html(r, lang, '<br>')}</font><div>&nbsp;</div></div>{r.html_body}"
        )

    return Client(f"outlook-web-{lang}", text, markup)


def _outlook_ios() -> Client:
    web = _outlook_web("en")
    return Client("outlook-ios", web.text, web.html, footer="Get Outlook for iOS")


def _apple(name: str, footer: str) -> Client:
    def attribution(r: Request) -> str:
        d = r.date
        return f"On {d.day} {d:%b %Y}, at {d:%H:%M}, {r.from_field} wrote:"

    def text(r: Request, mine: str) -> str:
        return f"{mine}\n\n{attribution(r)}\n\n{_gt(r.text)}\n"

    def markup(r: Request, mine: str) -> str:
        return (
            f'<div dir="ltr">{mine}</div><div dir="ltr"><br><blockquote type="cite">'
            f"{html.escape(attribution(r))}<br><br></blockquote></div>"
            f'<blockquote type="cite"><div dir="ltr">{r.html_body}</div></blockquote>'
        )

    return Client(name, text, markup, footer=footer)


def _thunderbird() -> Client:
    def attribution(r: Request) -> str:
        return f"On {r.date:%d/%m/%Y %H:%M}, {r.from_name} wrote:"

    def text(r: Request, mine: str) -> str:
        return f"{mine}\n\n{attribution(r)}\n{_gt(r.text)}\n"

    def markup(r: Request, mine: str) -> str:
        return (
            f'<p>{mine}</p><div class="moz-cite-prefix">{html.escape(attribution(r))}<br></div>'
            f'<blockquote type="cite" cite="mid:request@news.test">{r.html_body}</blockquote>'
        )

    return Client("thunderbird", text, markup)


def _yahoo() -> Client:
    def attribution(r: Request) -> str:
        d = r.date
        return f"On {d:%A, %B} {d.day}, {d:%Y} at {d:%I:%M:%S %p} GMT, {r.from_field} wrote:"

    def text(r: Request, mine: str) -> str:
        # Yahoo indents the attribution and does not mark the quoted text
        return f"{mine}\n\n\n    {attribution(r)}  \n \n \n{_unwrapped(r.text)}\n"

    def markup(r: Request, mine: str) -> str:
        return (
            f'<div class="ydp-body"><div dir="ltr">{mine}</div></div><div id="yahoo_quoted_123" '
            'class="yahoo_quoted"><div style="font-family:Helvetica,Arial,sans-serif;">'
            f"<div>{html.escape(attribution(r))}</div><div><br></div><div><br></div>"
            f"<div>{r.html_body}</div></div></div>"
        )

    return Client("yahoo", text, markup)


def _proton() -> Client:
    def attribution(r: Request) -> str:
        d = r.date
        return f"On {d:%A, %B} {d.day}th, {d:%Y} at {d:%H:%M}, {r.from_field} wrote:"

    def text(r: Request, mine: str) -> str:
        return (
            f"{mine}\n\nSent with Proton Mail secure email.\n\n{attribution(r)}\n\n{_gt(r.text)}\n"
        )

    def markup(r: Request, mine: str) -> str:
        return (
            f'<div>{mine}</div><div><br></div><div class="protonmail_signature_block">'
            '<div class="protonmail_signature_block-proton">Sent with <a href="https://proton.me/">'
            'Proton Mail</a> secure email.</div></div><div class="protonmail_quote">'
            f'{html.escape(attribution(r))}<br><br><blockquote class="protonmail_quote" '
            f'type="cite">{r.html_body}</blockquote><br></div>'
        )

    return Client("proton", text, markup)


def _samsung() -> Client:
    def header(r: Request) -> list[str]:
        d = r.date
        return [
            "-------- Original message --------",
            f"From: {r.from_field} ",
            f"Date: {d:%d/%m/%Y %H:%M} (GMT+00:00) ",
            f"To: {r.to_name} <{r.to_address}> ",
            f"Subject: {r.subject} ",
        ]

    def text(r: Request, mine: str) -> str:
        return f"{mine}\n\n" + "\n".join(header(r)) + f"\n\n{_unwrapped(r.text)}\n"

    def markup(r: Request, mine: str) -> str:
        lines = "".join(f"<div>{html.escape(x)}</div>" for x in header(r))
        return (
            f'<div dir="auto">{mine}</div><div><br></div><div align="left" dir="auto" '
            f'style="font-size:100%;color:#000000">{lines}</div><br>{r.html_body}'
        )

    return Client("samsung-email", text, markup, footer="Sent from my Galaxy")


LANGUAGES = ("en", "de", "fr", "es", "it", "nl", "pt", "pl", "ja")
CLIENTS: dict[str, Client] = {
    c.name: c
    for c in (
        _gmail_web(),
        _gmail_android(),
        *(_outlook_desktop(lang) for lang in LANGUAGES),
        *(_outlook_web(lang) for lang in LANGUAGES),
        _outlook_ios(),
        _apple("apple-mail-macos", ""),
        _apple("apple-mail-ios", "Sent from my iPhone"),
        _thunderbird(),
        _yahoo(),
        _proton(),
        _samsung(),
    )
}


_REQUESTS: dict[int, Request] = {}


def answer(request: EmailMessage, client: str, fmt: str, *, new_text: str = NEW_TEXT,
           signoff: str = "none", sender: str | None = None) -> bytes:  # fmt: skip
    """Return the bytes of the author's reply to *request* as *client* writes it in *fmt*."""
    req = _REQUESTS.get(id(request))
    if req is None:
        req = _REQUESTS[id(request)] = Request.of(request)
    how = CLIENTS[client]
    sign_text, sign_html = SIGNOFFS[signoff]
    mine = "\n\n".join(x for x in (new_text, sign_text, how.footer) if x)
    mine_html = (
        _divs(new_text)
        + (f"<div><br></div>{sign_html}" if sign_html else "")
        + (f"<div><br></div><div>{html.escape(how.footer)}</div>" if how.footer else "")
    )
    if client.startswith("outlook-desktop"):
        mine_html = _mso("\n\n".join(x for x in (new_text, sign_text, how.footer) if x))
    reply = EmailMessage(policy=email.policy.default)
    reply["From"] = sender or f"{req.to_name} <{req.to_address}>"
    reply["To"] = str(request["Reply-To"])
    reply["Subject"] = "Re: " + req.subject
    reply["Date"] = email.utils.format_datetime(req.date)
    reply["Message-ID"] = email.utils.make_msgid(domain="author.test")
    reply["In-Reply-To"] = str(request["Message-ID"])
    reply["References"] = str(request["Message-ID"])
    page = (
        f'<html><head><meta charset="utf-8"></head><body>{how.html(req, mine_html)}</body></html>'
    )
    if fmt in ("text", "both"):
        reply.set_content(how.text(req, mine))
        if fmt == "both":
            reply.add_alternative(page, subtype="html")
    else:
        reply.set_content(page, subtype="html")
    return reply.as_bytes()
