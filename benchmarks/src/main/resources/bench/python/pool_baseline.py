"""The seed's scenario in Python, as the baseline Trampoline is measured against.

A plugin is loaded with importlib from a folder (the seed's load_modules), and its function is run in a
ProcessPoolExecutor with the spawn start method; a trampoline initializer reloads the plugins in the worker
before anything is unpickled. Prints one line: python version, ms to the first result of a new pool (worker
spawn included), and the median and p99 of a trivial call's round trip in microseconds.
"""
import importlib.util
import multiprocessing
import pathlib
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor

PLUGIN_SOURCE = "def exec_bg(x):\n    return x\n"


def load_plugins(folder):
    for path in sorted(pathlib.Path(folder).glob("*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        sys.modules[path.stem] = module


def trampoline(folder):
    # Runs in the spawned worker before any task is unpickled: without it, unpickling plugin.exec_bg fails.
    load_plugins(folder)


def main():
    calls = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    folder = tempfile.mkdtemp(prefix="trampoline-py-")
    (pathlib.Path(folder) / "plugin.py").write_text(PLUGIN_SOURCE)
    load_plugins(folder)
    plugin = sys.modules["plugin"]
    context = multiprocessing.get_context("spawn")
    start = time.perf_counter()
    with ProcessPoolExecutor(1, mp_context=context, initializer=trampoline, initargs=(folder,)) as pool:
        pool.submit(plugin.exec_bg, 1).result()
        spawn_ms = (time.perf_counter() - start) * 1000
        for _ in range(min(200, calls)):
            pool.submit(plugin.exec_bg, 1).result()
        times = []
        for _ in range(calls):
            t = time.perf_counter()
            pool.submit(plugin.exec_bg, 1).result()
            times.append((time.perf_counter() - t) * 1e6)
    times.sort()
    p99 = times[max(0, int(0.99 * len(times)) - 1)]
    print("python=%s spawn_ms=%.3f call_us_median=%.3f call_us_p99=%.3f"
          % (sys.version.split()[0], spawn_ms, statistics.median(times), p99))


if __name__ == "__main__":
    main()
