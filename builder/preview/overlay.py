"""What the preview adds to the page it serves: a live-reload script and, after a failed build, the error.

The published page has no script at all; only the preview's copy gets one. The script
listens to the server's event stream: a newer good build reloads the page (the browser
keeps the scroll position), a failed one shows the error over the last good page without
reloading, so the author sees where to look (file:line) and what is wrong. The error is
also written into the page itself, so a page opened or reloaded while the error stands
shows it too. Text goes into the overlay escaped (server side) or as ``textContent``
(in the script), never as markup.
"""

from __future__ import annotations

import json
import re

from markupsafe import Markup

EVENTS_PATH = "/__perfpack/events"
OVERLAY_ID = "perfpack-preview-error"
_LOCATION = re.compile(r"^(?P<where>\S.*?:\d+):\s+(?P<message>.+)$", re.DOTALL)

_STYLE = (
    "position:fixed;top:0;left:0;right:0;z-index:2147483647;max-height:70vh;overflow:auto;"
    "margin:0;padding:20px 30px;background:#ffffff;color:#0b0c0c;border-bottom:5px solid #d4351c;"
    "box-shadow:0 4px 12px rgba(0,0,0,.35);font:16px/1.4 Arial,sans-serif;text-align:left"
)
_SCRIPT = """
(function () {
  "use strict";
  var served = %(version)d;
  function show(error) {
    var box = document.getElementById("%(id)s");
    if (!box) {
      box = document.createElement("div");
      box.id = "%(id)s";
      box.setAttribute("role", "alert");
      box.setAttribute("style", %(style)s);
      document.body.appendChild(box);
    }
    box.textContent = "";
    var title = document.createElement("p");
    title.style.cssText = "margin:0 0 10px;font-weight:700;font-size:19px;color:#d4351c";
    title.textContent = "perfpack could not rebuild the pack";
    box.appendChild(title);
    if (error.where) {
      var where = document.createElement("p");
      where.className = "perfpack-where";
      where.style.cssText = "margin:0 0 5px;font-weight:700;font-family:monospace";
      where.textContent = error.where;
      box.appendChild(where);
    }
    var message = document.createElement("p");
    message.className = "perfpack-message";
    message.style.cssText = "margin:0 0 10px;white-space:pre-wrap";
    message.textContent = error.message;
    box.appendChild(message);
    var hint = document.createElement("p");
    hint.style.cssText = "margin:0;color:#505a5f";
    hint.textContent = "Below is the last page that built. Fix the file and save: this message goes away by itself.";
    box.appendChild(hint);
  }
  var events = new EventSource("%(events)s");
  events.onmessage = function (event) {
    var state = JSON.parse(event.data);
    if (state.error) { show(state.error); return; }
    if (state.version !== served) { window.location.reload(); }
  };
})();
"""


def decorate(page: bytes | None, version: int, error: str | None) -> bytes:
    """The page as the preview serves it: with the live-reload script, and the error over it if there is one."""
    body = page if page is not None else waiting_page().encode("utf-8")
    addition = (overlay(error) if error is not None else "") + Markup("<script>%s</script>\n") % Markup(
        _script(version)
    )
    at = body.lower().rfind(b"</body>")
    at = at if at >= 0 else len(body)
    return body[:at] + addition.encode("utf-8") + body[at:]


def overlay(error: str) -> Markup:
    """The error panel, as markup with the error's text escaped."""
    found = split_error(error)
    where = Markup('<p class="perfpack-where" style="margin:0 0 5px;font-weight:700;font-family:monospace">%s</p>')
    return Markup(
        '<div id="%s" role="alert" style="%s">'
        '<p style="margin:0 0 10px;font-weight:700;font-size:19px;color:#d4351c">perfpack could not rebuild the pack</p>'
        '%s<p class="perfpack-message" style="margin:0 0 10px;white-space:pre-wrap">%s</p>'
        '<p style="margin:0;color:#505a5f">Below is the last page that built. Fix the file and save: '
        "this message goes away by itself.</p></div>"
    ) % (OVERLAY_ID, _STYLE, where % found["where"] if found["where"] else "", found["message"])


def split_error(error: str) -> dict[str, str | None]:
    """'config/pack.yaml:12: YAML syntax error …' as its place ('config/pack.yaml:12') and its message."""
    match = _LOCATION.match(error)
    if match is None:
        return {"where": None, "message": error}
    return {"where": match["where"], "message": match["message"]}


def event_data(version: int, error: str | None) -> str:
    """The JSON one event carries: the build's version and its error, if any."""
    return json.dumps({"version": version, "error": split_error(error) if error is not None else None})


def waiting_page() -> str:
    """What the preview shows before the first build has finished (or when it failed)."""
    return (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>Building the pack – perfpack preview</title>\n</head>\n"
        '<body style="font:19px/1.4 Arial,sans-serif;color:#0b0c0c;margin:30px">\n<main>\n'
        "<h1>Building the pack …</h1>\n"
        "<p>This page shows the pack as soon as it is built, and refreshes by itself every time you save.</p>\n"
        "</main>\n</body>\n</html>\n"
    )


def _script(version: int) -> str:
    return _SCRIPT % {"version": version, "id": OVERLAY_ID, "style": json.dumps(_STYLE), "events": EVENTS_PATH}
