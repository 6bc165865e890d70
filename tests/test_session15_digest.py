"""The fast lane's digest of a file (session 15): computed in a thread beside the decoding and
splitting, it is still the SHA-256 of the file's bytes, the same the row reader gives, and it is
what the import batch keeps."""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from hostile import HEADER, write
from lantu import services
from lantu.ingest import bulk
from lantu.ingest.tables import read_raw
from lantu.store.models import ImportBatchRow


def _rows(n: int) -> str:
    return "".join(f"140100,{1990 + k},gdp,{100 + k}.5,亿元,,https://tjj.taiyuan.gov.cn/{k}.html,\n"
                   for k in range(n))


def test_the_digest_is_the_files_sha256_by_either_reader(tmp_path):
    f = write(tmp_path, "t.csv", HEADER + _rows(30))
    plain = bulk.read_plain(f)
    assert plain is not None
    expected = hashlib.sha256(f.read_bytes()).hexdigest()
    assert plain.sha256 == expected == read_raw(f).sha256


def test_the_batch_keeps_the_digest(ref_db, tmp_path):
    f = write(tmp_path, "t.csv", HEADER + _rows(30))
    services.import_file(ref_db, f)
    with ref_db.session() as s:
        assert s.scalars(select(ImportBatchRow.sha256)).all() == [
            hashlib.sha256(f.read_bytes()).hexdigest()]


def test_a_file_the_fast_lane_leaves_still_has_its_digest(tmp_path):
    # quotes: the row reader reads it, and the thread was never started for nothing
    f = write(tmp_path, "q.csv", HEADER + '140100,2020,gdp,"1,234.5",亿元,,,\n')
    assert bulk.read_plain(f) is None
    assert read_raw(f).sha256 == hashlib.sha256(f.read_bytes()).hexdigest()
