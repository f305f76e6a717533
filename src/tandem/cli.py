"""The ``tandem`` command: run the demo shop, serve, work through tasks, seed data.

tandem demo                 migrate, load demo data if empty, then the web server, the worker
                            and the scheduler, each restarted if it stops; print logins
tandem start                migrate, then the web server, the worker and the scheduler, each
                            restarted if it stops (one server; docs/deployment.md)
tandem serve                web server only (gunicorn)
tandem worker               background task worker only
tandem scheduler            periodic jobs only (one acts at a time, however many run)
tandem seed --products N    bulk-generate a catalog of N products (benchmarks)
tandem manage <command>     any Django management command
"""

import argparse
import os
import shutil
import sys
from pathlib import Path


def _django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
    import django

    django.setup()


def _manage(argv: list[str]) -> None:
    _django_setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["tandem manage", *argv])


def _serve_command(port: int, workers: int, threads: int) -> list[str]:
    host = os.environ.get("HOST", "127.0.0.1")
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "tandem.wsgi:application",
        "--config",
        "python:tandem.gunicorn_conf",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread" if threads > 1 else "sync",
        "--access-logfile",  # the access log is Django's (core.logs: with route, user, duration)
        "/dev/null",
        "--timeout",
        "60",
        "--graceful-timeout",
        "10",
    ]


def _scheduler_command() -> list[str]:
    return [sys.executable, "-m", "tandem.cli", "manage", "scheduler"]


def _worker_command() -> list[str]:
    base = [sys.executable, "-m", "tandem.cli", "manage"]
    if os.environ.get("REDIS_URL"):
        return [*base, "rqworker", "default", "--job-class", "django_tasks_rq.Job"]
    return [*base, "db_worker", "--interval", "1"]


def demo(args: argparse.Namespace) -> int:
    # The demo shop takes online payments through the built-in test gateway.
    os.environ.setdefault("PAYMENT_TEST_ENABLED", "true")
    # Demo staff may sign in without an authenticator app; `tandem serve` requires one of staff.
    os.environ.setdefault("STAFF_TWO_FACTOR", "optional")
    _django_setup()
    from django.core.management import call_command

    from tandem.demo.generator import DEMO_LOGINS, DEMO_PASSWORD, demo_data_present

    call_command("migrate", interactive=False, verbosity=0)
    if demo_data_present():
        print("Demo data already loaded; keeping the existing database.")
        from tandem.service.demo_faq import faq_demo_load

        faq_demo_load()  # a demo made before the FAQ existed gets it
        from tandem.content.demo_content import content_demo_load

        content_demo_load()  # … and the articles and pages
        from tandem.service.demo_history import demo_history_load

        demo_history_load()  # … and an order history to recommend from
    else:
        print("Loading demo data (first start only)…")
        call_command("seed", demo=True)
    port = args.port
    print(
        f"\nTandem is running on http://127.0.0.1:{port}/  (admin: /admin/, API: /api/v1/docs)\n"
        f"Demo logins, all with the password {DEMO_PASSWORD!r}:"
    )
    for email, role in DEMO_LOGINS:
        print(f"  {email:<28} {role}")
    if os.environ["STAFF_TWO_FACTOR"] == "optional":
        print("Staff two-factor sign-in is optional in the demo (STAFF_TWO_FACTOR=required in production).")
    print("Stop with Ctrl-C.\n", flush=True)
    return _supervised(args)


def _supervised(args: argparse.Namespace) -> int:
    """The web server, the worker and the scheduler, each started again if it stops."""
    from tandem.supervise import supervise

    _metrics_dir(args.port)
    threads = int(os.environ.get("WEB_THREADS", "1"))
    return supervise(
        [
            ("web server", _serve_command(args.port, args.workers, threads)),
            ("worker", _worker_command()),
            ("scheduler", _scheduler_command()),
        ]
    )


def start(args: argparse.Namespace) -> int:
    _manage(["migrate", "--no-input", "-v0"])
    print(f"Tandem is running on http://{os.environ.get('HOST', '127.0.0.1')}:{args.port}/", flush=True)
    return _supervised(args)


def _metrics_dir(port: int) -> None:
    """Where this server's gunicorn processes keep their metrics for /metrics to add up
    (core.metrics), emptied at start: the files of processes gone belong to no one."""
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        return
    var_dir = Path(os.environ.get("TANDEM_VAR_DIR", Path(__file__).resolve().parent.parent.parent / "var"))
    folder = var_dir / "metrics" / str(port)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder)


def serve(args: argparse.Namespace) -> int:
    _metrics_dir(args.port)
    os.execv(sys.executable, _serve_command(args.port, args.workers, args.threads))  # noqa: S606
    return 0


def worker(args: argparse.Namespace) -> int:
    os.execv(sys.executable, _worker_command())  # noqa: S606
    return 0


def scheduler(args: argparse.Namespace) -> int:
    os.execv(sys.executable, _scheduler_command())  # noqa: S606
    return 0


def seed(args: argparse.Namespace) -> int:
    """Migrate first, so an empty data folder can be seeded in one command."""
    _manage(["migrate", "-v0"])
    _manage(["seed", "--products", str(args.products), "--companies", str(args.companies)])
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "manage":
        _manage(argv[1:])
        return 0
    parser = argparse.ArgumentParser(
        prog="tandem", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    default_port = int(os.environ.get("PORT", "8000"))
    # Processes beat threads for a CPU-bound Python app (measured in bench/RESULTS.md).
    default_workers = int(os.environ.get("WEB_WORKERS", str(max(2, 2 * (os.cpu_count() or 1)))))

    sub = commands.add_parser("demo", help="start the demo shop (server + worker)")
    sub.add_argument("--port", type=int, default=default_port)
    sub.add_argument("--workers", type=int, default=default_workers)
    sub.set_defaults(handler=demo)

    sub = commands.add_parser("start", help="migrate, then web server + worker + scheduler, supervised")
    sub.add_argument("--port", type=int, default=default_port)
    sub.add_argument("--workers", type=int, default=default_workers)
    sub.set_defaults(handler=start)

    sub = commands.add_parser("serve", help="web server (gunicorn)")
    sub.add_argument("--port", type=int, default=default_port)
    sub.add_argument("--workers", type=int, default=default_workers)
    sub.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", "1")))
    sub.set_defaults(handler=serve)

    sub = commands.add_parser("worker", help="background task worker")
    sub.set_defaults(handler=worker)

    sub = commands.add_parser("scheduler", help="periodic jobs every SCHEDULER_INTERVAL_SECONDS")
    sub.set_defaults(handler=scheduler)

    sub = commands.add_parser("seed", help="bulk-generate catalog and customers")
    sub.add_argument("--products", type=int, default=100_000)
    sub.add_argument("--companies", type=int, default=1_000)
    sub.set_defaults(handler=seed)

    commands.add_parser("manage", help="run a Django management command")
    args = parser.parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
