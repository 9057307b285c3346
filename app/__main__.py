"""Command line: `python -m app [serve|refresh|warm|status|themes check]`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.settings import load_settings


def _serve(args) -> int:
    from app.serve import serve

    settings = load_settings()
    print(
        f"MMmeter on http://{settings.host}:{settings.port}/ (data in {settings.data_dir})",
        flush=True,
    )
    serve(settings)
    return 0


def _refresh(args) -> int:
    from app.warm import warmer
    from data.pipeline import refresh

    settings = load_settings()
    source = settings.mirror or "upstream URLs"
    print(f"refreshing {', '.join(args.datasets) or 'all datasets'} from {source}", flush=True)
    try:
        report = refresh(
            settings,
            only=args.datasets or None,
            progress=lambda m: print(m, flush=True),
            force=args.force,
            before_publish=warmer(settings),
        )
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if report.failed:
        print(
            f"{len(report.failed)} dataset(s) failed; their last good data stays online",
            file=sys.stderr,
        )
        return 1
    return 0


def _warm(args) -> int:
    """Warm the current version into the shared cache (after a deploy or a cache flush: a
    new code fingerprint or an empty Redis leaves every web worker to build its answers)."""
    from app.warm import warm_current

    settings = load_settings()
    done = warm_current(settings)
    failed = [entry for entry in done if entry[2] >= 400]
    print(f"warmed {len(done)} answers, {len(failed)} failed", flush=True)
    return 1 if failed or not done else 0


def _status(args) -> int:
    from data.stores import open_store

    settings = load_settings()
    store = open_store(settings)
    manifest = store.manifest() or {}
    report = {
        "data_dir": str(settings.data_dir),
        "version": store.current_version(),
        "created_at": manifest.get("created_at"),
        "total_rows": manifest.get("total_rows"),
        "datasets": store.status().get("datasets", {}),
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    from data.catalog import load_catalog
    from layouts.refresh_status import format_moment, source_states

    print(
        f"store: {report['data_dir']}  version: {report['version'] or '(empty)'}  "
        f"created: {format_moment(report['created_at'], 'en')}  rows: {report['total_rows'] or 0}"
    )
    catalog = load_catalog(settings.catalog_path)
    for state in source_states(catalog, report["datasets"], "en"):
        print(
            f"  {state.dataset:26} {'FAILING' if state.failing else 'ok':8}"
            f" last success {state.last_success}"
        )
        if state.reason:
            print(f"  {'':26} {'':8} last failure {state.last_failure} ({state.kind}):")
            print(f"  {'':26} {'':8}   {state.reason}")
        if state.failing:
            print(f"  {'':26} {'':8} next attempt {state.next_attempt}")
    return 0


def _themes_check(args) -> int:
    from app.main import build_runtime
    from layouts.themes.loader import check_paths, format_report, references_of

    settings = load_settings()
    files = check_paths(
        args.files, settings.themes_dir, references_of(build_runtime(settings).reader(staff=True))
    )
    lines, errors, warnings = format_report(files)
    for line in lines:
        print(line)
    print(
        f"{len(files)} theme file(s) checked: {errors} error(s), {warnings} warning(s)",
        file=sys.stderr,
    )
    return 1 if errors or (args.strict and warnings) else 0


def _store_copy(args) -> int:
    """Publish the current version of the folder store in the PostgreSQL store."""
    from data.store import Store
    from data.stores import copy_version, open_store

    settings = load_settings()
    if not settings.database_url:
        print("set DATABASE_URL=postgresql://... to the store to copy into", file=sys.stderr)
        return 2
    source = Store(Path(args.source) if args.source else settings.store_dir)
    version = copy_version(source, open_store(settings), args.version)
    print(f"published version {version} from {source.root} in PostgreSQL")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app", description="MMmeter")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("serve", help="serve the app on PORT (default)").set_defaults(func=_serve)
    refresh = sub.add_parser("refresh", help="fetch, validate and store datasets now")
    refresh.add_argument("datasets", nargs="*", help="dataset ids (default: all)")
    refresh.add_argument(
        "--force", action="store_true", help="parse and store even when nothing changed upstream"
    )
    refresh.set_defaults(func=_refresh)
    sub.add_parser(
        "warm", help="build the current version's main pages into the shared cache"
    ).set_defaults(func=_warm)
    status = sub.add_parser("status", help="store version and each dataset's last success/failure")
    status.add_argument("--json", action="store_true")
    status.set_defaults(func=_status)
    copy = sub.add_parser(
        "store-copy", help="publish a version of the folder store in DATABASE_URL's store"
    )
    copy.add_argument("--source", help="the folder store (default: MMMETER_DATA_DIR/store)")
    copy.add_argument("--version", help="the version to copy (default: the current one)")
    copy.set_defaults(func=_store_copy)
    themes = sub.add_parser("themes", help="theme files (layouts/themes or MMMETER_THEMES_DIR)")
    themes_sub = themes.add_subparsers(dest="themes_command", required=True)
    check = themes_sub.add_parser(
        "check", help="check theme files; print every problem with file:line and field"
    )
    check.add_argument("files", nargs="*", help="theme files (default: all in the themes folder)")
    check.add_argument("--strict", action="store_true", help="warnings fail the check too")
    check.set_defaults(func=_themes_check)
    args = parser.parse_args(argv)
    return (getattr(args, "func", None) or _serve)(args)


if __name__ == "__main__":
    sys.exit(main())
