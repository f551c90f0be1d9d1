"""A bounded open-loop HTTP load generator: requests at a fixed rate, latency from the scheduled time."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable


async def _worker(host: str, port: int, queue: asyncio.Queue, results: list, headers: str) -> None:
    # gunicorn's sync workers close every connection after one response, so connect per request.
    while (item := await queue.get()) is not None:
        scheduled, path = item
        reader, writer = await asyncio.open_connection(host, port)
        try:
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n{headers}\r\n".encode())
            await writer.drain()
            status_line = await reader.readline()
            await reader.read()  # until the server closes
            results.append((time.perf_counter() - scheduled, int(status_line.split()[1])))
        finally:
            writer.close()


async def _run(host, port, rate, seconds, path_for, headers, connections) -> list:
    queue, results = asyncio.Queue(), []
    workers = [asyncio.create_task(_worker(host, port, queue, results, headers)) for _ in range(connections)]
    start, total = time.perf_counter(), int(rate * seconds)
    for i in range(total):
        due = start + i / rate
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        queue.put_nowait((due, path_for(i)))
    for _ in workers:
        queue.put_nowait(None)
    await asyncio.wait_for(asyncio.gather(*workers), timeout=seconds + 30)
    return results


def fixed_rate(host: str, port: int, rate: float, seconds: float, path_for: Callable[[int], str],
               headers: dict, connections: int = 32) -> list[tuple[float, int]]:
    """(latency seconds, status) of rate*seconds GETs, paced open-loop, at most `connections` in flight."""
    head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    return asyncio.run(_run(host, port, rate, seconds, path_for, head, connections))
