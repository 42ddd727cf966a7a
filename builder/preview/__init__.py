"""``perfpack preview``: the HTML edition served on this computer, rebuilt and refreshed on every save.

- ``state``: the last good page, the current error and a version number browsers wait on.
- ``overlay``: what the server adds to the page it serves: the live-reload script and the error overlay.
- ``server``: the local HTTP server (standard library), with a server-sent-events stream.
- ``session``: the file watcher, the builds and the server tied together until asked to stop.

Nothing here writes into the output folder: the preview builds into a private folder and
serves from memory, so ``perfpack build`` stays the only way a pack is published.
"""
