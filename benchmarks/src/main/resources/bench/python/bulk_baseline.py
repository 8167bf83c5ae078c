"""Python's answer to a bulk call, as the baseline of Trampoline's: multiprocessing.Pool.map of x -> x + 1 over
N integers with 2 spawn workers, at several chunk sizes; the pool is started (and its workers warm) before
anything is timed; each timed run reads every result. Prints one line: python version, the best chunk size, and the median inputs per second at
that size (the median of REPEATS runs each), and every size's median.
"""
import multiprocessing
import statistics
import sys
import time


def plus_one(x):
    return x + 1


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    workers = 2
    default = -(-n // (workers * 4))  # Pool.map's own choice: ceil(n / (4 * workers))
    sizes = sorted({1_000, 10_000, 50_000, default, max(1, n // 4), max(1, n // 2)})
    inputs = list(range(n))
    context = multiprocessing.get_context("spawn")
    rates = {}
    with context.Pool(workers) as pool:
        pool.map(plus_one, inputs[:10_000], chunksize=1_000)  # both workers up and running
        for size in sizes:
            runs = []
            for _ in range(repeats):
                t = time.perf_counter()
                result = pool.map(plus_one, inputs, chunksize=size)
                total = sum(result)  # every result read, as the Java side reads every outcome
                runs.append(n / (time.perf_counter() - t))
                assert total == n * (n + 1) // 2
            rates[size] = statistics.median(runs)
    best = max(rates, key=rates.get)
    print("python=%s best_chunk=%d best_per_s=%.0f %s" % (sys.version.split()[0], best, rates[best],
          " ".join("chunk_%d=%.0f" % (s, r) for s, r in sorted(rates.items()))))


if __name__ == "__main__":
    main()
