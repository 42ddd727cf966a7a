"""``perfpack diff --html``: what changed between two packs as one page a manager can read.

The page says what the terminal says, in the same words (``cycle.report``), laid out
as GOV.UK-style headings and tables with captions. Every value is autoescaped: the
narrative is author text and must never become markup.
"""

from __future__ import annotations

import os
from pathlib import Path

from jinja2 import Environment

from builder.cycle import report
from builder.cycle.compare import PackChanges

PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>What changed: {{ old_label }} to {{ new_label }}</title>
<style>
body { font-family: Arial, sans-serif; color: #0b0c0c; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.4; }
h1, h2, h3 { color: #12436d; }
table { border-collapse: collapse; margin: 0 0 1.5rem; width: 100%; }
caption { text-align: left; font-weight: bold; padding: 0.5rem 0; }
th, td { border-bottom: 1px solid #b1b4b6; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
del { color: #942514; } ins { color: #005a30; text-decoration: none; }
</style>
</head>
<body>
<main>
<h1>What changed: {{ old_label }} to {{ new_label }}</h1>
{% for pack in packs %}
<section>
<h2>{{ pack.scope }}: {{ pack.old_period }} to {{ pack.new_period }}</h2>
{% if pack.only_in %}<p>Only in the {{ pack.only_in }} build.</p>{% else %}
<p>{{ r.summary(pack) }}</p>
{% if pack.headline %}
<table><caption>Headline figures</caption>
<thead><tr><th scope="col">Figure</th><th scope="col">Old</th><th scope="col">New</th></tr></thead>
<tbody>{% for c in pack.headline %}<tr><th scope="row"><code>{{ c.name }}</code></th><td class="n">{{ r.show(c.old) }}</td><td class="n">{{ r.show(c.new) }}</td></tr>{% endfor %}</tbody>
</table>{% endif %}
{% if pack.rows %}
<table><caption>Table rows that moved or changed</caption>
<thead><tr><th scope="col">Table</th><th scope="col">Row</th><th scope="col">Change</th></tr></thead>
<tbody>{% for row in pack.rows %}<tr><td><code>{{ row.table }}</code></td><th scope="row">{{ row.label }}</th><td>{{ r.row_summary(row) }}</td></tr>{% endfor %}</tbody>
</table>{% endif %}
{% if pack.signals %}
<h3>Trend charts whose signals changed</h3>
<ul>{% for s in pack.signals %}<li><strong>{{ s.label }}</strong>: {{ r.signal_summary(s) }}.
{% if s.old.sentence != s.new.sentence %}<br>Was: {{ s.old.sentence }}<br>Now: {{ s.new.sentence }}{% endif %}</li>{% endfor %}</ul>
{% endif %}
{% if pack.prose %}
<h3>Narrative paragraphs that changed</h3>
{% for p in pack.prose %}<h4><code>{{ p.field }}</code></h4>
{% for text in p.removed %}<p><del>{{ text }}</del></p>{% endfor %}
{% for text in p.added %}<p><ins>{{ text }}</ins></p>{% endfor %}
{% endfor %}{% endif %}
{% if pack.revisions %}
<h3>Data revisions</h3>
<p>The same months counted differently by the newer extract:</p>
<ul>{% for v in pack.revisions %}<li>{{ r.revision_sentence(v.month, v.label, v.old, v.new) }}</li>{% endfor %}</ul>
{% endif %}
{% if pack.figures %}
<details><summary>Every figure that changed ({{ pack.figures | length }})</summary>
<table><caption>Every figure that changed, by its <code>perfpack figures</code> name</caption>
<thead><tr><th scope="col">Figure</th><th scope="col">Old</th><th scope="col">New</th></tr></thead>
<tbody>{% for c in pack.figures %}<tr><th scope="row"><code>{{ c.name }}</code></th><td class="n">{{ r.show(c.old) }}</td><td class="n">{{ r.show(c.new) }}</td></tr>{% endfor %}</tbody>
</table></details>{% endif %}
{% endif %}
</section>
{% endfor %}
</main>
</body>
</html>
"""


def write_diff_page(path: Path, changes: list[PackChanges], old_label: str, new_label: str) -> Path:
    """Write the page atomically and return its path."""
    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    html = env.from_string(PAGE).render(packs=changes, old_label=old_label, new_label=new_label, r=report)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.part")
    try:
        partial.write_text(html, encoding="utf-8")
        os.replace(partial, path)
    except OSError:
        partial.unlink(missing_ok=True)  # nothing half-written is left beside the target
        raise
    return path
