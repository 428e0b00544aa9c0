"""A folder of analysis records: what `newsreader analyze --engine dask -o DIR` writes and
`newsreader index --from DIR` loads.

The folder holds
- `part-00000.jsonl`, `part-00001.jsonl` ... (`.parquet` where pyarrow is installed): the
  `analyze` records (`Article.to_json`, corpus-level names), `PARTITION_ROWS` a file, in
  the index's date order, for pandas, Dask dataframes, DuckDB or Spark to read as they are;
- `_index/tables.jsonl`: the index's own rows (`CorpusIndex.export_tables`: document-level
  names, digests, line counts, files, duplicates), from which `load_records_dir` rebuilds
  the same index without analysing; `_index/meta.json`: the corpus paths, the NER backend
  and the cache version they were analysed with (another version refuses to load: its
  rows may not be what this code would give).

Binary cells (the stored entity/quote blob, a file's line-key hashes) are written as
`{"$b": base64}`. No module here imports Dask or pyarrow at import time.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from corpus.index import CorpusIndex

PARTITION_ROWS = 10_000
"""Records in one partition file."""

_SIDE = "_index"


class RecordsDirError(Exception):
    """A folder that is not one `analyze -o` wrote, or was written by another version."""


@dataclass(frozen=True, slots=True)
class RecordsWritten:
    partitions: int
    records: int
    format: str  # "jsonl" or "parquet"


def parquet_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("pyarrow") is not None


def _cell(value: Any) -> Any:
    if isinstance(value, bytes | bytearray | memoryview):
        return {"$b": base64.b64encode(bytes(value)).decode("ascii")}
    return value


def _uncell(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"$b"}:
        return base64.b64decode(value["$b"])
    return value


def write_records_dir(
    index: CorpusIndex,
    out: Path,
    paths: list[Path],
    *,
    partition_rows: int = PARTITION_ROWS,
    format: str = "auto",
) -> RecordsWritten:
    """Write `index`'s articles as partitions and its rows as the sidecar, under `out`.

    `format`: "jsonl", "parquet" or "auto" (Parquet where pyarrow is installed). Partition
    files already in `out` are replaced.
    """
    chosen = ("parquet" if parquet_available() else "jsonl") if format == "auto" else format
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("part-*.*"):
        old.unlink()
    side = out / _SIDE
    side.mkdir(exist_ok=True)
    partitions = records = 0
    batch: list[dict[str, Any]] = []
    with index.reading():
        for article in index.articles():
            batch.append(article.to_json())
            if len(batch) >= partition_rows:
                _write_partition(out, partitions, batch, chosen)
                partitions, records, batch = partitions + 1, records + len(batch), []
        if batch or not partitions:
            _write_partition(out, partitions, batch, chosen)
            partitions, records = partitions + 1, records + len(batch)
        with (side / "tables.jsonl").open("w", encoding="utf-8") as tables:
            for table, row in index.export_tables():
                tables.write(json.dumps([table, [_cell(v) for v in row]], ensure_ascii=False))
                tables.write("\n")
    meta = {
        "paths": [str(p) for p in paths],
        "ner": index.ner,
        "version": index.version(),
        "partitions": partitions,
        "records": records,
        "format": chosen,
    }
    (side / "meta.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    return RecordsWritten(partitions, records, chosen)


def _write_partition(out: Path, number: int, records: list[dict[str, Any]], fmt: str) -> None:
    name = out / f"part-{number:05d}.{fmt}"
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_pylist(records), name)
        return
    with name.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def read_meta(folder: Path) -> dict[str, Any]:
    """The folder's `_index/meta.json` (RecordsDirError if it is not such a folder)."""
    try:
        meta = json.loads((folder / _SIDE / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise RecordsDirError(
            f"{folder} is not a folder `newsreader analyze -o` wrote ({error})"
        ) from None
    if not isinstance(meta, dict) or "version" not in meta:
        raise RecordsDirError(f"{folder}: {_SIDE}/meta.json is not the records' metadata")
    return meta


def _table_rows(folder: Path) -> Iterator[tuple[str, list[Any]]]:
    with (folder / _SIDE / "tables.jsonl").open(encoding="utf-8") as tables:
        for line in tables:
            table, row = json.loads(line)
            yield table, [_uncell(v) for v in row]


def load_records_dir(index: CorpusIndex, folder: Path) -> int:
    """Load the folder's rows into `index` (nothing analysed); returns the articles loaded."""
    meta = read_meta(folder)
    if meta["version"] != index.version():
        raise RecordsDirError(
            f"{folder} was analysed by another version of newsreader or of its analysis "
            "(or another --ner): analyse the corpus again"
        )
    return index.import_tables(_table_rows(folder))
