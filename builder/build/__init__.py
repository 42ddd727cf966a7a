"""The one build path that every command uses, one module per step.

``pipeline.build`` reads top to bottom as the list of stages: inputs → figures →
charts → narrative → documents → PDF → publish. ``check`` and ``figures`` stop after
the narrative (``prepare``); ``watch`` calls ``build`` on every save; ``--by`` only
changes how many scopes the figures stage makes (``scopes``).

- ``options``: what the user asked for and what a build returns.
- ``inputs``: the config, the data files it names and the template.
- ``scopes``: the whole force, or one scope per NPT, area or force (``--by``).
- ``prepare``: figures per scope and their narrative (shared with ``check`` and ``figures``).
- ``cache``: figures and charts reused when only the narrative changed.
- ``documents``: the annex, the Word document, the web page and the PDF of each scope.
- ``publish``: the staging folder and moving a finished set into the output folder.
- ``pipeline``: ``build()`` itself.
- ``watcher``: rebuilding on every save (``watch`` and ``preview``).

Nothing is imported here: ``pipeline`` must start the chart server before the heavy
imports of the other modules.
"""
