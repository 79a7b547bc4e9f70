"""Deadline day: N applicants at once autosave several steps of their application, then submit.

Starts gunicorn on PostgreSQL (its own database, `bench_deadline`, dropped, created and migrated
here), a private Redis (`redis-server` on a free port, nothing shared is touched) and one Celery
worker, as production runs them: a submission freezes the draft in the request and the worker
hands it to screening (its viewflow transition, co-funded copies, e-mails through the outbox),
on the same two cores as everything else, at a lower CPU priority than the web (niceness 10, as
the README asks of a worker sharing the web's machine; --worker-nice 0 runs it at the web's). It
warms every process up on both paths (a round of as many spare applicants, who write baseline rows,
save and submit; not measured, so that neither phase pays for a cold process, connection or
cache), then measures two phases under the same load (N client threads, one per applicant, all
released together, the same number of requests each):

1. baseline: a minimal signed-in view that writes one row (bench/_deadline_urls.py);
2. Guichet: each applicant autosaves the project, budget and pérennité steps ROUNDS times (as if
   typing), then submits. A save counts as acknowledged when the server says it was saved.

The two phases alternate REPEAT times (default 5), each round with N fresh applicants, so that a
slow moment of a shared machine falls on both alike; every request of every round counts in the
figures (percentiles of all the requests of a phase, rates over all its time). After each Guichet
round it waits for the worker to hand that round's submissions to screening and send their
e-mails, so that the next round starts on an idle machine (at most 120 s; the time it took is
printed; an application not handed over counts as an error). Then it reads the
database: `lost_saves` counts acknowledged saves whose content is not there (for each applicant
and step, the last acknowledged content must be what the database holds).

Prints its figures (with the CPU time each phase cost per request, by process group: web, worker,
database, redis, client; the Guichet phase counts the worker's catching up after its last request),
then, as its last line, one JSON object:
users, repeat, saves, errors, lost_saves, p50_ms, p95_ms, rps, baseline_p95_ms, baseline_rps, p95_ratio,
rps_ratio, worker_nice (`users` per round, `saves` over all rounds).

    .venv/bin/python bench/deadline.py [--users 100] [--rounds 3] [--repeat 5] [--workers 5] [--warmup 100]
                                       [--worker-nice 10]

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/bench_deadline).
Needs PostgreSQL running and the `redis-server` program (Debian package redis-server).
Target: no error, no lost save, p95_ratio <= 2.
"""

import argparse
import http.client
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/bench_deadline"


def log(*args, end="\n"):
    print(*args, end=end, flush=True)


# --- database and server -----------------------------------------------------------------------------


def recreate_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        )
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def environment(database_url: str, redis_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        DJANGO_SETTINGS_MODULE="bench._deadline_settings",
        PYTHONPATH=str(ROOT),
        DEBUG="0",
        SECRET_KEY="bench-deadline-" + secrets.token_hex(16),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        # Both phases keep their database connection between requests, as a production setup would.
        CONN_MAX_AGE="60",
        LOG_LEVEL="ERROR",
        PYTHONWARNINGS="ignore:No directory at:UserWarning",
    )
    return env


def run(args: list[str], env: dict) -> str:
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"failed: {' '.join(args)}")
    return done.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_redis(port: int) -> subprocess.Popen:
    program = shutil.which("redis-server")
    if program is None:
        raise SystemExit("bench/deadline.py needs redis-server (apt-get install redis-server)")
    server = subprocess.Popen(
        [program, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                if conn.recv(16).startswith(b"+PONG"):
                    return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("redis-server did not start")


def start_worker(env: dict, niceness: int = 0) -> subprocess.Popen:
    """One Celery worker process (solo pool), at gunicorn's priority unless `niceness` lowers it."""
    command = (["nice", "-n", str(niceness)] if niceness else []) + [
        PYTHON, "-m", "celery", "-A", "config", "worker", "-P", "solo", "-l", "warning",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, env=env)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


def wait_worker(env: dict, pks: list[int], timeout: float) -> tuple[int, float]:
    """(applications not yet handed to screening, seconds waited) once the worker is done with these
    applications: each has its screening task and every e-mail of theirs is sent (polling the database)."""
    import psycopg

    started = time.monotonic()
    with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
        while True:
            (left,) = conn.execute(
                "SELECT count(*) FROM unnest(%s::bigint[]) AS a(id) WHERE NOT EXISTS ("
                " SELECT 1 FROM viewflow_task t JOIN workflow_applicationprocess p ON p.process_ptr_id = t.process_id"
                " WHERE p.application_id = a.id AND t.flow_task = %s)",
                [pks, "workflow/flows.ApplicationFlow.screen"],
            ).fetchone()
            (unsent,) = conn.execute(
                "SELECT count(*) FROM workflow_outboxmessage WHERE application_id = ANY(%s) AND sent_at IS NULL",
                [pks],
            ).fetchone()
            waited = time.monotonic() - started
            if (left == 0 and unsent == 0) or waited > timeout:
                return left, waited
            time.sleep(0.05)


def start_gunicorn(env: dict, port: int, workers: int) -> subprocess.Popen:
    gunicorn = Path(PYTHON).with_name("gunicorn")
    server = subprocess.Popen(
        [
            str(gunicorn),
            "config.wsgi",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--backlog",
            "2048",
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/")
            conn.getresponse().read()
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


class CpuMeter:
    """CPU seconds (user + system, from /proc) of the bench's processes, by group: web (gunicorn),
    worker (Celery), database (every postgres process: the server's own work too), redis, client
    (this process: the simulated browsers) and the rest of the machine. Linux only; elsewhere empty.
    A process that ended between two samples is not counted (a short-lived postgres backend, say):
    the figures are a floor."""

    GROUPS = ("web", "worker", "database", "redis", "client", "other")

    def __init__(self, roots: dict[str, int]):
        self.roots = roots  # group: pid of the process whose descendants belong to it
        self.tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

    def sample(self) -> dict[int, tuple[str, float]]:
        """{pid: (group, CPU seconds so far)}"""
        stats = {}
        for entry in Path("/proc").iterdir() if Path("/proc/self/stat").exists() else ():
            if not entry.name.isdigit():
                continue
            try:
                text = (entry / "stat").read_text()
            except OSError:
                continue
            name = text[text.index("(") + 1 : text.rindex(")")]
            fields = text[text.rindex(")") + 2 :].split()
            stats[int(entry.name)] = (name, int(fields[1]), (int(fields[11]) + int(fields[12])) / self.tick)
        return {pid: (self._group(pid, name, stats), seconds) for pid, (name, _parent, seconds) in stats.items()}

    def _group(self, pid: int, name: str, stats: dict) -> str:
        if pid == os.getpid():
            return "client"
        if name == "postgres":
            return "database"
        if name == "redis-server":
            return "redis"
        seen = 0
        while pid in stats and seen < 64:
            for group, root in self.roots.items():
                if pid == root:
                    return group
            pid, seen = stats[pid][1], seen + 1
        return "other"

    @classmethod
    def spent(cls, before: dict, after: dict) -> dict[str, float]:
        """CPU seconds by group between two samples (a process started meanwhile counts from zero)."""
        totals = dict.fromkeys(cls.GROUPS, 0.0)
        for pid, (group, seconds) in after.items():
            earlier = before.get(pid)
            totals[group] += seconds - (earlier[1] if earlier and earlier[0] == group else 0.0)
        return totals


# --- one simulated browser ----------------------------------------------------------------------------


class Browser:
    """A signed-in applicant: session and CSRF cookies, one keep-alive-less HTTP connection."""

    def __init__(self, port: int, setup: dict, person: dict):
        self.port = port
        self.csrf = secrets.token_urlsafe(24)[:32].replace("-", "a").replace("_", "b")
        self.cookie = f"{setup['session_cookie']}={person['session']}; {setup['csrf_cookie']}={self.csrf}"

    def post(self, path: str, fields: dict) -> tuple[int, bytes, float]:
        body = urlencode(fields, doseq=True)
        headers = {
            "Cookie": self.cookie,
            "X-CSRFToken": self.csrf,
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept-Language": "fr",
            "Host": f"127.0.0.1:{self.port}",
        }
        started = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            conn.request("POST", path, body=body, headers=headers)
            response = conn.getresponse()
            payload = response.read()
            status = response.status
        finally:
            conn.close()
        return status, payload, (time.perf_counter() - started) * 1000


def save_plan(person: dict, rounds: int, max_years: int) -> list[tuple[str, dict, dict]]:
    """(step, fields sent, what the database must then hold) for each save, in typing order."""
    i = person["application"]
    plan = []
    for r in range(1, rounds + 1):
        title = f"Cuisine collective {i}, version {r}"
        summary = f"Des repas partagés pour les familles du quartier {i}. " * r + f"(révision {r})"
        plan.append(("project", {"title": title, "summary": summary}, {"title": title, "summary": summary}))
        years = {str(y): f"{20000 - 1000 * y + r}.00" for y in range(1, max_years + 1)}
        plan.append(("budget", {f"year_{y}": v for y, v in years.items()}, {"years": years}))
        plan_text = f"Autofinancement par la vente de repas, étape {r} pour le dossier {i}."
        plan.append(("sustainability", {"sustainability_plan": plan_text}, {"sustainability_plan": plan_text}))
    return plan


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.by_kind: dict[str, list[float]] = {}
        self.errors: list[str] = []
        self.acknowledged: dict[tuple[int, str], dict] = {}
        self.saves = 0

    def record(self, ms: float, error: str | None = None, kind: str = "request"):
        with self.lock:
            self.latencies.append(ms)
            self.by_kind.setdefault(kind, []).append(ms)
            if error:
                self.errors.append(error)


def baseline_user(browser: Browser, person: dict, requests: int, results: Results, start: threading.Barrier):
    start.wait()
    for n in range(requests):
        try:
            status, body, ms = browser.post("/bench/baseline/", {"n": n, "payload": f"ligne {n} de {person['user']}"})
            ok = status == 200 and json.loads(body).get("saved") is True
            results.record(ms, None if ok else f"baseline {status}")
        except Exception as exc:  # noqa: BLE001 - every failure is counted, none stops the run
            results.record(0, f"baseline {exc!r}")


def guichet_user(browser: Browser, person: dict, setup: dict, rounds: int, results: Results, start):
    pk = person["application"]
    version = None
    start.wait()
    for step, fields, expected in save_plan(person, rounds, setup["call_max_years"]):
        try:
            if setup["autosave"]:
                data = {f"{step}-{k}": v for k, v in fields.items()}
                data["version"] = version or person.get("version", 1)
                status, body, ms = browser.post(f"/applications/{pk}/edit/{step}/autosave/", data)
                answer = json.loads(body) if status == 200 else {}
                ok = status == 200 and answer.get("saved") is True and not answer.get("errors")
                version = answer.get("version", version)
            else:
                data = {"application_wizard-current_step": step, **{f"{step}-{k}": v for k, v in fields.items()}}
                status, body, ms = browser.post(f"/applications/{pk}/edit/{step}/", data)
                ok = status == 302
            results.record(ms, None if ok else f"save {step} {status} {body[:200]!r}", kind="save")
            if ok:
                with results.lock:
                    results.saves += 1
                    results.acknowledged.setdefault((pk, step), {}).update(expected)
        except Exception as exc:  # noqa: BLE001
            results.record(0, f"save {step} {exc!r}")
    try:
        status, _body, ms = browser.post(f"/applications/{pk}/submit/", {})
        results.record(ms, None if status == 302 else f"submit {status}", kind="submit")
    except Exception as exc:  # noqa: BLE001
        results.record(0, f"submit {exc!r}")


def warmup_user(browser: Browser, person: dict, setup: dict, results: Results, start: threading.Barrier):
    baseline_user(browser, person, 3, results, start)
    guichet_user(browser, person, setup, 1, results, threading.Barrier(1))


def phase(target, people, args_for, threads_count, results: Results) -> float:
    """Run one phase, its figures added to `results`; the seconds it took."""
    start = threading.Barrier(threads_count + 1)
    threads = [threading.Thread(target=target, args=(*args_for(p), results, start)) for p in people]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - began


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


# --- main ---------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=int(os.environ.get("BENCH_USERS", "100")))
    parser.add_argument("--rounds", type=int, default=3, help="autosaves of each step per applicant")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument(
        "--repeat", type=int, default=5, help="baseline and Guichet phases, alternated, each with fresh applicants"
    )
    parser.add_argument(
        "--warmup", type=int, default=None, help="applicants of the unmeasured warm-up round (default: --users)"
    )
    parser.add_argument(
        "--worker-nice",
        type=int,
        default=10,
        help="the Celery worker's niceness (10, as the README deploys it; 0: the web's priority)",
    )
    args = parser.parse_args()
    if args.warmup is None:
        args.warmup = args.users

    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    redis_port = free_port()
    env = environment(database_url, f"redis://127.0.0.1:{redis_port}/0")
    log(
        f"database {urlparse(database_url).path.lstrip('/')} (recreated), {args.users} users, "
        f"{args.workers} workers, {args.repeat} rounds, Celery worker at niceness {args.worker_nice}"
    )
    recreate_database(database_url)
    run([PYTHON, "manage.py", "migrate", "--noinput"], env)
    spare = args.warmup
    total = args.users * args.repeat
    setup = json.loads(run([PYTHON, "-m", "bench._deadline_setup", "prepare", str(total), str(spare)], env))
    people, warm = setup["people"], setup["warmup"]
    rounds = [people[r * args.users : (r + 1) * args.users] for r in range(args.repeat)]
    log("saving through", "forms:autosave" if setup["autosave"] else "forms:wizard_step (no autosave URL)")

    port = free_port()
    redis = start_redis(redis_port)
    worker = start_worker(env, args.worker_nice)
    server = start_gunicorn(env, port, args.workers)
    base, app = Results(), Results()
    base_seconds = app_seconds = routed_after = 0.0
    not_routed = 0
    meter = CpuMeter({"web": server.pid, "worker": worker.pid})
    base_cpu, app_cpu = dict.fromkeys(CpuMeter.GROUPS, 0.0), dict.fromkeys(CpuMeter.GROUPS, 0.0)
    try:
        per_user = 3 * args.rounds + 1  # saves, then the submission
        browsers = {p["user"]: Browser(port, setup, p) for p in people + warm}
        warmed = Results()
        phase(warmup_user, warm, lambda p: (browsers[p["user"]], p, setup), len(warm), warmed)
        warm_left, _ = wait_worker(env, [p["application"] for p in warm], 60)
        log(
            f"warm-up: {len(warmed.latencies)} requests, errors {len(warmed.errors)}, not routed {warm_left} (not measured)"
        )
        # Baseline and Guichet alternate, so that a slow moment of the machine falls on both alike;
        # each round waits for the worker to finish with the previous one's submissions.
        for n, group in enumerate(rounds, 1):
            base_from, app_from = len(base.latencies), len(app.latencies)
            kinds_from = {kind: len(values) for kind, values in app.by_kind.items()}
            before = meter.sample()
            seconds = phase(baseline_user, group, lambda p: (browsers[p["user"]], p, per_user), len(group), base)
            after = meter.sample()
            for key, value in CpuMeter.spent(before, after).items():
                base_cpu[key] += value
            base_seconds += seconds
            round_b95 = percentile(base.latencies[base_from:], 95)
            log(f"round {n}: baseline {len(group) * per_user / seconds:.0f} req/s p95 {round_b95:.0f} ms", end=", ")
            seconds = phase(
                guichet_user, group, lambda p: (browsers[p["user"]], p, setup, args.rounds), len(group), app
            )
            app_seconds += seconds
            left, waited = wait_worker(env, [p["application"] for p in group], 120)
            # the worker's catching up belongs to the phase: what its requests cost the machine
            for key, value in CpuMeter.spent(after, meter.sample()).items():
                app_cpu[key] += value
            not_routed += left
            routed_after = max(routed_after, waited)
            round_p95 = percentile(app.latencies[app_from:], 95)
            kinds = ", ".join(
                f"{kind}s {percentile(values[kinds_from.get(kind, 0) :], 95):.0f}"
                for kind, values in sorted(app.by_kind.items())
            )
            log(
                f"guichet {len(group) * per_user / seconds:.0f} req/s p95 {round_p95:.0f} ms ({kinds}) "
                f"(ratio {round_p95 / round_b95:.2f}), worker done {waited:.1f}s after"
            )
    finally:
        stop(server)
        stop(worker)
        stop(redis)

    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump([p["application"] for p in people], handle)
    state = json.loads(run([PYTHON, "-m", "bench._deadline_setup", "check", handle.name], env))
    os.unlink(handle.name)

    lost = 0
    for (pk, _step), expected in app.acknowledged.items():
        held = state["applications"].get(str(pk), {})
        if any(held.get(key) != value for key, value in expected.items()):
            lost += 1
    not_submitted = sum(1 for a in state["applications"].values() if not a["submitted"])
    measured = {p["user"] for p in people}
    baseline_rows = sum(1 for user, _n in state["baseline"] if user in measured)
    baseline_lost = len(people) * per_user - len(base.errors) - baseline_rows
    errors = len(app.errors) + not_submitted + not_routed

    p50, p95 = percentile(app.latencies, 50), percentile(app.latencies, 95)
    b95 = percentile(base.latencies, 95)
    rps = len(app.latencies) / app_seconds
    b_rps = len(base.latencies) / base_seconds
    log(
        f"baseline: {len(base.latencies)} requests in {base_seconds:.1f}s, {b_rps:.1f} req/s, "
        f"p50 {percentile(base.latencies, 50):.0f} ms, p95 {b95:.0f} ms, errors {len(base.errors)}, "
        f"rows missing {baseline_lost}"
    )
    log(
        f"guichet:  {len(app.latencies)} requests in {app_seconds:.1f}s, {rps:.1f} req/s, "
        f"p50 {p50:.0f} ms, p95 {p95:.0f} ms, saves acknowledged {app.saves}, errors {len(app.errors)}, "
        f"not submitted {not_submitted}, lost saves {lost}"
    )
    log(
        f"worker: every submission handed to screening and its e-mails sent at most {routed_after:.1f}s after "
        f"a round's last request, not routed {not_routed}"
    )
    for name, spent, count in (("baseline", base_cpu, len(base.latencies)), ("guichet", app_cpu, len(app.latencies))):
        shares = ", ".join(f"{group} {spent[group] * 1000 / max(count, 1):.2f}" for group in CpuMeter.GROUPS)
        log(f"cpu ms per request, {name}: {shares} (total {sum(spent.values()) * 1000 / max(count, 1):.2f})")
    for kind, values in sorted(app.by_kind.items()):
        log(f"  {kind}: {len(values)}, p50 {percentile(values, 50):.0f} ms, p95 {percentile(values, 95):.0f} ms")
    for error in (app.errors + base.errors)[:10]:
        log("  error:", error)
    print(
        json.dumps(
            {
                "users": args.users,
                "repeat": args.repeat,
                "saves": app.saves,
                "errors": errors,
                "lost_saves": lost,
                "p50_ms": round(p50, 1),
                "p95_ms": round(p95, 1),
                "rps": round(rps, 1),
                "baseline_p95_ms": round(b95, 1),
                "baseline_rps": round(b_rps, 1),
                "p95_ratio": round(p95 / b95, 2) if b95 else None,
                "rps_ratio": round(rps / b_rps, 2) if b_rps else None,
                "worker_nice": args.worker_nice,
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    main()
