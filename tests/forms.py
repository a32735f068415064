"""Read an HTML form the way a browser would submit it (for test-client tests)."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_id: str | None, action: str | None):
        super().__init__(convert_charrefs=True)
        self.want_id, self.want_action = form_id, action
        self.inside = False
        self.done = False
        self.fields: list[tuple[str, str]] = []
        self.action = None
        self._select: str | None = None
        self._select_value: str | None = None
        self._first_option: str | None = None
        self._option: dict | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and not self.done and not self.inside:
            if (self.want_id is None or a.get("id") == self.want_id) and (
                self.want_action is None or a.get("action") == self.want_action
            ):
                self.inside, self.action = True, a.get("action")
            return
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name and "disabled" not in a:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields.append((name, a.get("value", "on")))
            elif kind not in ("submit", "button", "file", "reset", "image"):
                self.fields.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select, self._select_value, self._first_option = name, None, None
        elif tag == "option" and self._select:
            self._option = a
            self._text = ""
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""

    def handle_data(self, data):
        if self._textarea is not None or self._option is not None:
            self._text += data

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag == "option" and self._option is not None:
            value = self._option.get("value", self._text.strip())
            if self._first_option is None:
                self._first_option = value
            if "selected" in self._option:
                self._select_value = value
            self._option = None
        elif tag == "select" and self._select:
            value = self._select_value if self._select_value is not None else self._first_option
            if value is not None:
                self.fields.append((self._select, value))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # Browsers drop one leading newline of a textarea's content.
            text = self._text[1:] if self._text.startswith("\n") else self._text
            self.fields.append((self._textarea, text))
            self._textarea = None
        elif tag == "form":
            self.inside, self.done = False, True


def form_fields(html: str, *, form_id: str | None = None, action: str | None = None):
    """Return (action, [(name, value), ...]) of the first matching form."""
    reader = _FormReader(form_id, action)
    reader.feed(html)
    return reader.action, reader.fields


def as_data(fields: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Group fields by name, as the test client's data argument takes them."""
    out: dict[str, list[str]] = {}
    for name, value in fields:
        out.setdefault(name, []).append(value)
    return out
