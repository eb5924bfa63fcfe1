"""Bench of `kit serve`, on the real server (uvicorn in a subprocess, 2 rendering processes).

Prints, in one run: the catalogue page's server time (the Server-Timing header) idle
and under load; a worksheet preview, first drawn and from the cache; a 28-pupil pack
(one PDF) against the same documents made one by one with POST /api/render in the
same run; 20 concurrent clients each downloading a pack.

    python bench/bench_serve.py
    python bench/bench_serve.py --clients 10 --repeat 20
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.serving import running_server  # noqa: E402  (the tests' harness: real server, free port)

LESSON = "cyberharcelement-temoin-actif"
SESSION = {"school": "Collège Les Genêts", "class": "5e B", "date": "2027-11-09"}


def server_ms(response: httpx.Response) -> float:
    return float(response.headers["server-timing"].split("dur=")[1])


def catalogue_times(client: httpx.Client, repeat: int) -> list[float]:
    return [server_ms(client.get("/")) for _ in range(repeat)]


def timed(call) -> tuple[float, object]:
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def pack_order(tag: str) -> dict:
    return {"lesson": LESSON, "pupils": 28, "session": {**SESSION, "class": f"5e {tag}"}}


def one_by_one(client: httpx.Client, summary: dict, tag: str) -> int:
    """Every copy of the pack as its own render call (a different city each time, so
    none comes from the cache): what a teacher without `kit pack` would run."""
    calls = 0
    for line in summary["documents"]:
        for copy in range(max(line["copies"], 1)):
            body = {"lesson": LESSON, "document": line["document"], "edition": line["edition"],
                    "session": {**SESSION, "class": f"5e {tag}", "city": f"Ville {calls}"}}
            assert client.post("/api/render", json=body).status_code == 200
            calls += 1
    return calls


def concurrent(base: str, clients: int) -> tuple[float, list[float], int]:
    """`clients` packs at once; the catalogue's server time is sampled meanwhile."""
    errors, during = [], []
    done = threading.Event()

    def download(n: int) -> None:
        response = httpx.post(f"{base}/api/packs", json=pack_order(f"C{n}"), timeout=600)
        if response.status_code != 200 or not response.content.startswith(b"%PDF"):
            errors.append(response.status_code)

    def sample() -> None:
        with httpx.Client(base_url=base, timeout=60) as client:
            while not done.is_set():
                during.append(server_ms(client.get("/")))
                time.sleep(0.2)
    threads = [threading.Thread(target=download, args=(n,)) for n in range(clients)]
    sampler = threading.Thread(target=sample)
    start = time.perf_counter()
    sampler.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    return elapsed, during, len(errors)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, \
            running_server(Path(folder) / "data") as (base, _), \
            httpx.Client(base_url=base, timeout=600) as client:
        client.get("/")  # templates compiled once
        idle = catalogue_times(client, args.repeat)
        print(f"catalogue page, server time: median {statistics.median(idle):.1f} ms, "
              f"max {max(idle):.1f} ms ({args.repeat} requests)")

        preview = f"/apercus/{LESSON}/fiche-eleve/page-1.png"
        cold, _ = timed(lambda: client.get(preview))
        warm = statistics.median(timed(lambda: client.get(preview))[0] for _ in range(10))
        print(f"worksheet preview (PNG, page 1): first {cold * 1000:.0f} ms, "
              f"then from the cache {warm * 1000:.1f} ms")

        pack_time, _ = timed(lambda: client.post("/api/packs", json=pack_order("A")))
        summary = client.post("/api/packs", json=pack_order("A"),
                              headers={"accept": "application/json"}).json()
        base_time, calls = timed(lambda: one_by_one(client, summary, "B"))
        print(f"28-pupil pack, one PDF of {summary['pages']} pages: {pack_time:.2f} s; the same "
              f"{calls} documents one by one with /api/render: {base_time:.2f} s "
              f"(pack {base_time / pack_time:.1f}x faster)")

        elapsed, during, errors = concurrent(base, args.clients)
        print(f"{args.clients} concurrent pack downloads: {elapsed:.1f} s in all, "
              f"{args.clients / elapsed:.2f} packs/s, {errors} error(s); catalogue meanwhile: "
              f"median {statistics.median(during):.1f} ms, max {max(during):.1f} ms server time "
              f"({len(during)} requests; idle median {statistics.median(idle):.1f} ms)")


if __name__ == "__main__":
    main()
