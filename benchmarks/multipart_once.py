"""What the edge's second multipart parse costs (``lantu.web.edge.MultipartText``), against the one
pass it could be folded into — measured side by side in one run, on the same bodies.

    .venv/bin/python benchmarks/multipart_once.py [--mb 50] [--repeat 7]

For a report form (month, text, percent, action, CSRF token and one evidence file of ``--mb``
MiB, and the same with five files) fed in uvicorn's 64 KiB chunks, it times:

  (a) Starlette's own parse (``MultiPartParser.parse``, what every upload costs anyway);
  (b) today: (a) plus ``MultipartText`` fed the same chunks (python-multipart a second time,
      looking at field and file names and text values only);
  (c) one pass: a ``MultiPartParser`` subclass that asks the same question in Starlette's own
      callbacks (``on_headers_finished``, ``on_part_end``) — the prototype of folding it in,
      which needs Starlette's private ``_current_part`` and ``_charset`` and a ``Request``
      subclass installed by every router's route class (see docs/security.md, seams8).

Median CPU time of ``--repeat`` runs each, taken in turn (files are spooled to temporary files as in the app);
the check's share is (b) − (a), what one pass would save is (b) − (c).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time

from python_multipart.multipart import parse_options_header
from starlette.datastructures import Headers
from starlette.formparsers import MultiPartParser

from lantu.web.edge import MultipartText, _not_utf8

CHUNK = 64 * 1024
BOUNDARY = b"----lantu-bench-7f3a"


class OnePass(MultiPartParser):
    """Starlette's parser noting the first field not in the body's charset, in its own pass."""

    bad: str | None = None

    def _flag(self, name: bytes) -> None:
        if self.bad is None:
            self.bad = name.decode(self._charset, "replace")[:100]

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self._current_part.content_disposition)
        name = options.get(b"name", b"")
        if _not_utf8(name, self._charset) or (
                b"filename" in options and _not_utf8(options[b"filename"], self._charset)):
            self._flag(name)
        super().on_headers_finished()

    def on_part_end(self) -> None:
        if self._current_part.file is None and _not_utf8(bytes(self._current_part.data),
                                                         self._charset):
            self._flag(self._current_part.field_name.encode())
        super().on_part_end()


def body(mb: int, files: int) -> bytes:
    def part(name: str, value: bytes, filename: str | None = None) -> bytes:
        disp = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        head = f"Content-Disposition: {disp}\r\n".encode()
        if filename:
            head += b"Content-Type: application/pdf\r\n"
        return b"--" + BOUNDARY + b"\r\n" + head + b"\r\n" + value + b"\r\n"

    fields = [("month", b"2026-11"), ("text", ("本月完成项目签约3个。" * 200).encode()),
              ("percent", b"40"), ("action", b"submit"), ("csrf_token", b"x" * 43)]
    out = b"".join(part(k, v) for k, v in fields)
    size = mb * 1024 * 1024 // files
    for i in range(files):
        out += part("evidence", os.urandom(size), f"清单{i}.pdf")
    return out + b"--" + BOUNDARY + b"--\r\n"


async def _chunks(data: bytes):
    for i in range(0, len(data), CHUNK):
        yield data[i:i + CHUNK]


async def _starlette(data: bytes, parser=MultiPartParser, check: bool = False) -> object:
    ctype = b"multipart/form-data; boundary=" + BOUNDARY
    headers = Headers(raw=[(b"content-type", ctype)])
    edge = MultipartText(ctype) if check else None

    async def stream():
        async for c in _chunks(data):
            if edge is not None:
                edge.feed(c)  # as the edge does, beside Starlette's reading
            yield c

    p = parser(headers, stream(), max_files=5, max_fields=200, max_part_size=1024 * 1024)
    form = await p.parse()
    await form.close()
    return edge.bad if edge is not None else getattr(p, "bad", None)


def timed(fns: list, repeat: int) -> list[float]:
    """Median CPU time of each of ``fns``, run in turn (a, b, c, b, c, a, …) so that a busy
    machine weighs on each alike; CPU time of this process, not the wall clock."""
    times: list[list[float]] = [[] for _ in fns]
    for r in range(repeat):
        order = list(range(len(fns)))
        order = order[r % len(order):] + order[:r % len(order)]
        for i in order:
            t = time.process_time()
            asyncio.run(fns[i]())
            times[i].append(time.process_time() - t)
    return [statistics.median(t) for t in times]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=15)
    args = ap.parse_args()
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; median CPU time of "
          f"{args.repeat}, taken in turn, 64 KiB chunks")
    for files in (1, 5):
        data = body(args.mb, files)
        assert asyncio.run(_starlette(data, check=True)) is None
        assert asyncio.run(_starlette(data, OnePass)) is None
        bad = data.replace(b"2026-11", b"2026-\xff1", 1)
        assert asyncio.run(_starlette(bad, check=True)) == "month"
        assert asyncio.run(_starlette(bad, OnePass)) == "month"
        a, b, c = timed([lambda d=data: _starlette(d),
                         lambda d=data: _starlette(d, check=True),
                         lambda d=data: _starlette(d, OnePass)],
                        args.repeat)
        print(f"{len(data) / 2**20:6.1f} MiB, {files} file(s): (a) Starlette alone {a * 1000:7.1f} ms"
              f" | (b) today, + MultipartText {b * 1000:7.1f} ms (+{(b - a) * 1000:.1f})"
              f" | (c) one pass {c * 1000:7.1f} ms (+{(c - a) * 1000:.1f})")


if __name__ == "__main__":
    main()
