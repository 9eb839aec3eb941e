"""The forms a page shows, read from its HTML as a browser would: each form's action and
method, and every control that belongs to it (inside it, or naming it with ``form=``), with
the value the page gave it."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Control:
    name: str
    kind: str  # an <input> type, "textarea", "select" or "button"
    value: str = ""
    checked: bool = False
    options: list[str] = field(default_factory=list)
    multiple: bool = False
    required: bool = False
    attrs: dict[str, str] = field(default_factory=dict)


@dataclass
class PageForm:
    action: str
    method: str
    controls: list[Control] = field(default_factory=list)
    # Submit buttons that send the form elsewhere (``formaction``), and whether any button
    # sends it to its own action.
    elsewhere: list[dict[str, str]] = field(default_factory=list)
    own_submit: bool = False

    def field_names(self) -> tuple[str, ...]:
        return tuple(sorted({c.name for c in self.controls}))


class _FormReader(HTMLParser):
    def __init__(self, page_path: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_path = page_path
        self.forms: list[PageForm] = []
        self.by_id: dict[str, PageForm] = {}
        self.orphans: list[tuple[str, Control]] = []  # controls naming a form= not yet seen
        self.current: PageForm | None = None
        self.select: Control | None = None
        self.textarea: Control | None = None
        self.option: dict[str, str] | None = None
        self.option_text = ""

    def _owner(self, attrs: dict[str, str]) -> PageForm | None:
        if "form" in attrs:
            return self.by_id.get(attrs["form"])
        return self.current

    def _add(self, attrs: dict[str, str], control: Control) -> None:
        owner = self._owner(attrs)
        if owner is not None:
            owner.controls.append(control)
        elif "form" in attrs:
            self.orphans.append((attrs["form"], control))

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.current = PageForm(
                action=a.get("action") or self.page_path, method=(a.get("method") or "get").upper()
            )
            self.forms.append(self.current)
            if "id" in a:
                self.by_id[a["id"]] = self.current
        if tag == "input" and a.get("name") and "disabled" not in a and a.get("type") != "submit":
            kind = a.get("type", "text").lower()
            if kind in ("image", "reset"):
                return
            self._add(
                a,
                Control(
                    name=a["name"],
                    kind=kind,
                    value=a.get("value", "on" if kind in ("checkbox", "radio") else ""),
                    checked="checked" in a,
                    required="required" in a,
                    attrs=a,
                ),
            )
        elif (
            tag in ("button", "input")
            and a.get("type", "submit" if tag == "button" else "") == "submit"
        ):
            owner = self._owner(a)
            if owner is not None and a.get("formaction"):
                owner.elsewhere.append(a)
                return
            if owner is not None:
                owner.own_submit = True
            if a.get("name"):
                self._add(
                    a, Control(name=a["name"], kind="button", value=a.get("value", ""), attrs=a)
                )
        elif tag == "textarea" and a.get("name") and "disabled" not in a:
            self.textarea = Control(
                name=a["name"], kind="textarea", required="required" in a, attrs=a
            )
            self._add(a, self.textarea)
        elif tag == "select" and a.get("name") and "disabled" not in a:
            self.select = Control(
                name=a["name"],
                kind="select",
                multiple="multiple" in a,
                required="required" in a,
                attrs=a,
            )
            self._add(a, self.select)
        elif tag == "option" and self.select is not None:
            self.option = a
            self.option_text = ""

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea.value += data
        elif self.option is not None:
            self.option_text += data

    def _close_option(self):
        if self.option is not None and self.select is not None:
            value = self.option.get("value", self.option_text.strip())
            self.select.options.append(value)
            if "selected" in self.option:
                self.select.value = value if not self.select.multiple else self.select.value
                self.select.checked = True
        self.option = None

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "textarea":
            if self.textarea is not None and self.textarea.value.startswith("\n"):
                self.textarea.value = self.textarea.value[1:]  # as the HTML spec drops it
            self.textarea = None
        elif tag == "option":
            self._close_option()
        elif tag == "select":
            self._close_option()
            self.select = None

    def close(self):
        super().close()
        for form_id, control in self.orphans:
            if form_id in self.by_id:
                self.by_id[form_id].controls.append(control)


def forms_on(html: str, page_path: str) -> list[PageForm]:
    reader = _FormReader(page_path)
    reader.feed(html)
    reader.close()
    forms = []
    for form in reader.forms:
        if form.own_submit or not form.elsewhere:
            forms.append(form)
        for button in form.elsewhere:  # one form per address its buttons send it to
            sent = [c for c in form.controls if c.kind != "button"]
            if button.get("name"):
                sent.append(
                    Control(name=button["name"], kind="button", value=button.get("value", ""))
                )
            method = (button.get("formmethod") or form.method).upper()
            forms.append(PageForm(action=button["formaction"], method=method, controls=sent))
    return forms
