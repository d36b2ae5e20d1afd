"""The `terrain` command: build, serve, check, print, pack, kit, links and i18n."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from .problems import report


def _root(args) -> Path:
    root = Path(args.root).resolve()
    if not (root / "mkdocs.yml").is_file():
        print(
            f"terrain: {root} is not a Terrain project (it has no mkdocs.yml) — run terrain in the project folder, or give it with --root",
            file=sys.stderr,
        )
        raise SystemExit(2)
    return root


def _mkdocs(root: Path, *args: str) -> int:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.call([sys.executable, "-m", "mkdocs", *args, "-f", str(root / "mkdocs.yml")], cwd=root, env=env)


def cmd_check(args) -> int:
    from . import checks
    from .project import Project

    project = Project.load(_root(args))
    if args.fix:
        _, changes = checks.check_typography(project, fix=True)
        for change in changes:
            print(change)
        print(f"terrain: fixed {len(changes)} line(s) of typography (no-break spaces); nothing else was changed")
        project = Project.load(_root(args))
    for warning in checks.policy.check_warnings(project):
        print(f"warning: {warning}", file=sys.stderr)
    from .cards import cards_to_translate

    for line in cards_to_translate(project):  # not problems: the cards wait for their translation, left out of print
        print(line, file=sys.stderr)
    for line in project.ui_todo:  # nor are strings a language in progress lacks: it shows them in the default language
        print(line, file=sys.stderr)
    problems = checks.check_all(project)
    drafts = checks.draft_names(project)
    if drafts:  # drafts are not checked for translation problems until they are marked (issue 15)
        counts = {lang: list(drafts.values()).count(lang) for lang in dict.fromkeys(drafts.values())}
        print(
            "terrain: "
            + ", ".join(f"{n} draft page(s) in {lang}" for lang, n in counts.items())
            + " left to translate; their translation is checked once they are marked (`terrain i18n status` lists them)",
            file=sys.stderr,
        )
    if problems:
        print(report(problems), file=sys.stderr)
        return 1
    print(
        f"terrain: no problems in {len(project.modules)} modules, {len(project.worksheets)} worksheets, {len(project.languages)} languages"
    )
    return 0


def _edition(args, root: Path):
    """`--country CC`: check countries/CC and make it the edition every step builds (TERRAIN_COUNTRY,
    which the MkDocs hooks, the print edition and the packs read); its outputs go to site-CC/ and
    build/downloads-CC/. Without it, the shared edition: no local material, whatever the environment.
    Returns the country (None for the shared edition), or an exit code when the folder has problems."""
    code = getattr(args, "country", None)
    if not code:
        os.environ.pop("TERRAIN_COUNTRY", None)
        return None
    from . import countries
    from .project import Project

    country, problems = countries.load(Project.load(root), code)
    if problems or country is None:
        print(report(problems), file=sys.stderr)
        return 1
    os.environ["TERRAIN_COUNTRY"] = code
    return country


def cmd_build(args) -> int:
    root = _root(args)
    country = _edition(args, root)
    if isinstance(country, int):
        return country
    final = None if country is None else root / f"site-{country.code}"  # a country edition: its own site folder
    if not args.no_print:
        code = cmd_print(args)
        if code:
            return code
    from .site import build_atomically

    quiet = ["-q"] if getattr(args, "quiet", False) else []  # --quiet: MkDocs' and static-i18n's notices too
    return build_atomically(
        root, lambda *a: _mkdocs(root, *a, *quiet), final
    )  # site/ is replaced only when every check passed


def cmd_serve(args) -> int:
    root = _root(args)
    country = _edition(args, root)  # --country CC: the country's site (site-CC/ with --lan)
    if isinstance(country, int):
        return country
    if args.lan:
        from .serve import serve_lan

        site = root / ("site" if country is None else f"site-{country.code}")
        return serve_lan(site, port=args.port, host=args.host or "0.0.0.0")
    if not 0 < args.port <= 65535:
        print(
            f"terrain serve: {args.port} is not a port number — use one from 1024 to 65535, like --port 8000",
            file=sys.stderr,
        )
        return 2
    from .serve import serve_preview, site_is_current
    from .site import build_atomically

    final = None if country is None else root / f"site-{country.code}"  # a country edition: never into site/

    def rebuild() -> int:  # the site only, into site/ whole: the print edition is `terrain print`'s
        return build_atomically(root, lambda *a: _mkdocs(root, *a, "-q"), final)

    site = final or root / "site"
    if not site_is_current(root, site):  # `make serve` has just built it: served as it is (issue 14)
        print(f"terrain serve: {site.name}/ is missing or older than its sources — building it first", file=sys.stderr)
        code = rebuild()
        if code:
            return code
    return serve_preview(root, site, rebuild, args.host or "127.0.0.1", args.port)


def cmd_print(args) -> int:
    from .printing import print_edition
    from .project import Project

    root = _root(args)
    country = _edition(args, root)
    if isinstance(country, int):
        return country
    project = Project.load(root)
    langs = None if country is None else country.languages  # a country edition prints its own languages only
    printed = print_edition(project, langs, progress=not getattr(args, "quiet", False))
    if printed.problems:  # errors and warnings, once, as `path:line: what — fix`
        print(report(printed.problems), file=sys.stderr)
    if not printed.ok:
        return 1
    if country is not None:  # a language the edition no longer has: its old files leave the country's site
        import shutil

        for old in sorted(project.downloads.iterdir()):
            if old.is_dir() and old.name != "packs" and old.name not in country.languages:
                shutil.rmtree(old)
    print(
        f"terrain: print edition written, {len(printed.written)} files in {project.downloads.relative_to(root).as_posix()}/"
    )
    return 0


def cmd_pack(args) -> int:
    from .pack import PackError, build_packs
    from .project import Project

    root = _root(args)
    country = _edition(args, root)
    if isinstance(country, int):
        return country
    site = Path(args.site).resolve() if args.site else None
    if site is None and country is not None:
        site = root / f"site-{country.code}"  # the country's site, packed into build/downloads-CC/packs
    try:
        paths = build_packs(Project.load(root), site)
    except PackError as error:
        print(f"terrain pack: {error}", file=sys.stderr)
        return 1
    for path in paths:
        print(path)
    return 0


def cmd_kit(args) -> int:
    from . import kit
    from .project import Project

    project = Project.load(_root(args))
    args.lang = args.lang or project.default_language
    wrong = []
    if args.participants < 1:
        wrong.append(
            f"--participants {args.participants}: give the number of people, 1 or more, like `--participants 20`"
        )
    if args.groups < 1:
        wrong.append(f"--groups {args.groups}: give the number of groups, 1 or more, like `--groups 4`")
    elif args.groups > args.participants > 0:
        wrong.append(
            f"--groups {args.groups} is more than --participants {args.participants}: a group needs at least one person — lower --groups"
        )
    if args.lang not in project.languages:
        wrong.append(f"--lang {args.lang}: this site has no such language — use one of: {', '.join(project.languages)}")
    if wrong:
        for line in wrong:
            print(f"terrain kit: {line}", file=sys.stderr)
        return 2
    print(kit.render_text(project, kit.plan(project, args.participants, args.groups), args.lang))
    return 0


def _count(text: str) -> int:
    """A whole number for argparse, with a message a facilitator understands."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"`{text}` is not a whole number — write it in figures, like 20") from None


def cmd_links(args) -> int:
    from .links import check_online
    from .project import Project

    if not args.online:
        print("terrain links: add --online to check every external address (needs the internet)")
        return 2
    return check_online(Project.load(_root(args)))


def cmd_i18n(args) -> int:
    from . import i18n
    from .project import Project

    project = Project.load(_root(args))
    if args.action == "status":
        report_ = i18n.status(project)
        bad = 0
        for lang, states in report_.items():
            total = sum(len(v) for v in states.values())
            print(
                f"{lang}: "
                + (
                    ", ".join(f"{len(v)} {k}" for k, v in states.items())
                    if total
                    else "every page translated and current"
                )
            )
            for state, names in states.items():
                for name in names:
                    print(f"  {state:8} {name}")
            bad += total
            strings = i18n.untranslated_strings(project, lang)
            if strings:
                print(f"  {len(strings)} string(s) still in {project.default_language}:")
                for line in strings:
                    print(f"    {line}")
            bad += len(strings)
            cards = i18n.cards_left(project, lang)  # also named by `terrain check`
            if cards:
                print(f"  {len(cards)} picture card file(s) with texts still to translate:")
                for line in cards:
                    print(f"    {line}")
            bad += len(cards)
            missing = [line for line in project.ui_todo if line.startswith(f"data/ui/{lang}.yml:")]
            if missing:  # keys the default language gained since this language's file was made
                print(f"  {len(missing)} interface string(s) missing from data/ui/{lang}.yml:")
                for line in missing:
                    print(f"    {line}")
            bad += len(missing)
        return 1 if bad and args.strict else 0
    if args.action == "diff":
        if args.lang not in project.languages or args.lang == project.default_language:
            print(
                f"terrain i18n diff: `{args.lang}` is not a translated language of this site — name one of: {', '.join(l for l in project.languages if l != project.default_language)}",
                file=sys.stderr,
            )
            return 2
        path = Path(args.path)
        path = project.root / args.path if not path.is_absolute() and (project.root / args.path).exists() else path
        try:
            changes = i18n.diff(project, args.lang, path)
        except ValueError as error:
            print(f"terrain i18n diff: {error}", file=sys.stderr)
            return 2
        for change in changes:
            print(change)
        if not changes:
            print(f"terrain i18n diff: nothing changed in the {project.default_language} since {args.path} was marked")
        return 0
    if args.action == "mark":
        if args.lang not in project.languages or args.lang == project.default_language:
            others = ", ".join(l for l in project.languages if l != project.default_language)
            print(
                f"terrain i18n mark: `{args.lang}` is not a translated language of this site — name one of: {others} (then the files or folders)",
                file=sys.stderr,
            )
            return 2
        if not args.paths and not args.all:
            print(
                f"terrain i18n mark: name the files or folders you have translated and reviewed, like `terrain i18n mark {args.lang} modules/04-formalisation` (or `--all` for every page of {args.lang})",
                file=sys.stderr,
            )
            return 2
        paths = []
        for given in args.paths:
            path = Path(given)
            if not path.is_absolute() and (project.root / given).exists():
                path = project.root / given  # paths are read from the project root first
            if not path.exists():
                print(
                    f"terrain i18n mark: {given} does not exist — give a file like modules/04-formalisation/index.{args.lang}.md or its folder",
                    file=sys.stderr,
                )
                return 2
            paths.append(path)
        done, refused = i18n.mark(project, args.lang, paths)
        for name in done:
            print(f"marked current: {name}")
        for line in refused:
            print(line, file=sys.stderr)
        if not done and not refused:
            print(
                f"terrain i18n mark: no index.{args.lang}.md under {', '.join(args.paths)} — name the translated file or its folder",
                file=sys.stderr,
            )
        return 0 if done and not refused else 1
    if args.action == "new":
        try:
            created = i18n.new_language(project, args.lang, args.name)
        except (ValueError, OSError) as error:
            print(f"terrain i18n new: {error}", file=sys.stderr)
            return 2
        for line in created:
            print(line)
        return 0
    return 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="terrain", description="Build, check, print, pack and translate the Terrain curriculum."
    )
    parser.add_argument("--root", default=".", help="the project folder (default: the current folder)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("check", help="check every source file without building; all problems at once")
    p.add_argument(
        "--fix", action="store_true", help="repair French typography (no-break spaces) and show what changed"
    )
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("build", help="build the print edition, then the site (strict)")
    p.add_argument("--no-print", action="store_true", help="build the site only")
    p.add_argument("--country", help="build the country edition of countries/CC/ into site-CC/, like --country bf")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("serve", help="serve the site while you edit, or the built site to the room (--lan)")
    p.add_argument(
        "--lan", action="store_true", help="serve site/ on the local network and print its address and a QR code"
    )
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--host", help="the address to listen on (default: every interface with --lan, else 127.0.0.1)")
    p.add_argument(
        "--country", help="the country edition of countries/CC/ (with --lan: site-CC/, built first), like --country bf"
    )
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("print", help="build the PDFs and DOCX of both languages into build/downloads/")
    p.add_argument(
        "--country",
        help="print the country edition of countries/CC/, in its languages, into build/downloads-CC/, like --country bf",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_print)

    p = sub.add_parser("pack", help="zip the built site per language and for all, with SHA256SUMS, and a ZIM file")
    p.add_argument("--site", help="the built site folder (default: site/, or site-CC/ with --country)")
    p.add_argument(
        "--country",
        help="pack the country edition built with `terrain build --country CC` into build/downloads-CC/packs/, like --country bf",
    )
    p.set_defaults(func=cmd_pack)

    p = sub.add_parser("kit", help="what to print and what to gather, with quantities, for each day of the workshop")
    p.add_argument("--participants", type=_count, default=20, help="how many people take part (default: 20)")
    p.add_argument("--groups", type=_count, default=4, help="how many working groups (default: 4)")
    p.add_argument("--lang", help="the language of the plan, like fr (default: the site's first language)")
    p.set_defaults(func=cmd_kit)

    p = sub.add_parser("links", help="check external addresses")
    p.add_argument("--online", action="store_true", help="visit each external address once and record the result")
    p.set_defaults(func=cmd_links)

    p = sub.add_parser("i18n", help="translation status, marking, new languages")
    i18n_sub = p.add_subparsers(dest="action", required=True)
    q = i18n_sub.add_parser("status", help="list missing, out-of-date and draft translations")
    q.add_argument("--strict", action="store_true", help="exit 1 when anything is listed")
    q = i18n_sub.add_parser("mark", help="record that translations are current with the English")
    q.add_argument("lang")
    q.add_argument("paths", nargs="*", help="the files or folders translated and reviewed")
    q.add_argument(
        "--all",
        action="store_true",
        help="every page of LANG (each is still refused while a paragraph is in the default language)",
    )
    q = i18n_sub.add_parser("diff", help="the default-language paragraphs that changed since a translation was marked")
    q.add_argument("lang")
    q.add_argument("path", help="the translated file or its folder")
    q = i18n_sub.add_parser("new", help="add a language: config, draft pages, strings; overwrites nothing")
    q.add_argument("lang", help="a language code, like pt or pt-MZ")
    q.add_argument("--name", help="the language's own name, like Português")
    p.set_defaults(func=cmd_i18n)

    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print(f"\nterrain {args.command}: interrupted — run it again to finish", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `terrain i18n status | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
