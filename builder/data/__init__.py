"""Data in: every source becomes one canonical table, or one clear list of what is wrong.

``load.load_dataset`` is the entry point. Beneath it: ``files`` (which files a load reads,
found without pandas, for cache keys), ``sniff`` (what a file really is, its encoding and
SHA-256), ``readers`` (CSV, Excel, Parquet into categorical frames with row numbers, built
batch by batch in ``batches``), ``policeuk`` and ``extract`` (police.uk street files and
force extracts into canonical crimes and ASB), ``lookup`` (NPT and area from codes),
``checks`` and ``assemble`` (row and cross-file validation), ``report`` (the ``LoadReport``
and the collected problems) and ``canonical`` (the columns and the ``Dataset``).
"""
