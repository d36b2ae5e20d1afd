"""Offline packs of the built site: one zip per language, one for all, SHA256SUMS and a ZIM file.

The packs are reproducible: the same site gives byte-identical zips (sorted entries, fixed
timestamps and permissions, fixed compression level) and ZIM file (one indexing worker, so the
full-text index lists pages in one order; the random UUIDs libzim writes are replaced by ones
derived from the content, and the MD5 checksum recomputed: `reproducible_zim`).

The site's Downloads page lists the packs (`packs_html`): `terrain pack` copies them into the
site it packed and fills in their sizes there, so the site is built once. In the copies that go
into the packs, that list becomes a sentence saying where packs are found: a pack does not hold
itself, and a link to it would lead nowhere (zimcheck reports such links).
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import html
import mimetypes
import os
import re
import struct
import sys
import time
import zipfile
import zlib
from pathlib import Path

from . import countries
from .project import Project, site_language, site_prefix

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can hold
COMPRESS_LEVEL = 9
BROWN, WHITE = (0x7A, 0x3E, 0x12), (0xFF, 0xFF, 0xFF)  # --md-primary-fg-color in terrain.css


# ZIM metadata wants ISO 639-3 codes; the site uses two-letter ones
ISO639_3 = {
    "am": "amh",
    "ar": "ara",
    "de": "deu",
    "en": "eng",
    "es": "spa",
    "fr": "fra",
    "ha": "hau",
    "it": "ita",
    "ln": "lin",
    "mg": "mlg",
    "nl": "nld",
    "pt": "por",
    "ru": "rus",
    "rw": "kin",
    "so": "som",
    "sw": "swa",
    "tr": "tur",
    "wo": "wol",
    "yo": "yor",
    "zh": "zho",
}
ZIM_INDEX_LANGUAGE = "fra"  # one stemmer for the whole index; exact words match in every language

ZIM_CREATOR = "Terrain contributors"  # as mkdocs.yml's site_author


class PackError(RuntimeError):
    """Packing cannot start or finish; the message says what to do."""


# ---- what goes in ----------------------------------------------------------------------------


def version(root: Path) -> str:
    """The version in pack names: the installed package's (pyproject.toml's), else pyproject.toml's
    read from `root` when terrain runs from a checkout that was never installed."""
    import terrain

    if terrain.__version__ != "0.0.0":
        return terrain.__version__
    import tomllib  # only then: every build asks for the version

    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        return str(tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {}).get("version", "0.0.0"))
    return "0.0.0"


def site_files(site: Path) -> list[str]:
    """Every file of the built site, as sorted POSIX paths relative to it."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())


def excluded(path: str) -> bool:
    """Files no pack holds: source maps, the gzip sitemap, the packs themselves, and a page
    write_whole was writing when the power went (NAME.part: half a file, never published).

    Search-language files of languages the site lacks are already pruned by the site build
    (terrain.site.prune_search_languages).
    """
    return path.endswith((".map", "sitemap.xml.gz", ".part")) or path.startswith("downloads/packs/")


def belongs(path: str, lang: str | None, languages: list[str], default: str) -> bool:
    """Whether a site file goes in the pack of `lang` (None: the pack of every language)."""
    if path.startswith("downloads/"):
        return lang is None or path.startswith(f"downloads/{lang}/")
    if lang is None or path.startswith("assets/"):
        return True
    return site_language(path, languages, default)[0] == lang


def pack_files(site: Path, lang: str | None, languages: list[str], default: str) -> list[str]:
    """The sorted site files of one pack."""
    return [p for p in site_files(site) if not excluded(p) and belongs(p, lang, languages, default)]


def start_page(lang: str, default: str) -> str:
    """The page a language starts at, inside a pack."""
    return site_prefix(lang, default) + "index.html"


def readme(project: Project, lang: str | None, names: dict[str, str], top: str, ver: str) -> str:
    """README.txt of a pack: in its language, or in every language for the all pack. Every line
    is an interface string (`pack_readme:` in data/ui/LANG.yml), so a new language translates it
    there; a language without it gets the default language's."""
    if lang is not None:
        return _readme_one(project, lang, lang, names, top, ver)
    return "\n\n".join(_readme_one(project, text_lang, None, names, top, ver) for text_lang in names)


def _readme_one(project: Project, text_lang: str, lang: str | None, names: dict[str, str], top: str, ver: str) -> str:
    """README.txt written in `text_lang`, for the pack of `lang` (None: all); names: language -> its name."""
    default = project.default_language

    def text(key: str) -> str:
        return project.text(text_lang, "pack_readme", key)

    what = text("all") if lang is None else names.get(lang, lang)
    lines = [text("title").format(version=ver, what=what), ""]
    lines.append(text("open").format(top=top + "/", start=start_page(lang or default, default)))
    if lang is None:
        lines += ["", text("start_all")] + [f"  {names[other]}: {start_page(other, default)}" for other in names]
    elif len(names) > 1:
        lines += ["", text("one_language").format(version=ver)]
    lines += ["", text("downloads")]
    if lang is None:
        lines += [text("share").format(share=share_name(text_lang), zim=zim_name(ver)), text("sums_inside")]
    lines += [text("licence"), ""]
    return "\n".join(lines)


def zim_name(ver: str) -> str:
    """The name of the ZIM file, beside the zips and inside the all-languages zip."""
    return f"terrain-{ver}.zim"


def share_name(lang: str) -> str:
    """The plain-text share guide of a language at the top of the all-languages zip."""
    return f"SHARE.{lang}.txt"


def share_text(project: Project, lang: str) -> str | None:
    """docs/share.LANG.md as plain text for a pack: title, summary, steps; None when the page is missing.

    Markdown marks a reader of a text file does not need (`**`, backticks, `## `) are dropped;
    headings are underlined, so the text reads well in Notepad.
    """
    page = project.root / "docs" / f"share.{lang}.md"
    if not page.is_file():
        return None
    text = page.read_text(encoding="utf-8")
    meta, body = {}, text
    if text.startswith("---\n"):
        head, _, body = text[4:].partition("\n---\n")
        for line in head.splitlines():
            key, sep, value = line.partition(":")
            if sep and not line.startswith(" "):
                meta[key.strip()] = value.strip().strip("\"'")
    out = []
    title = meta.get("title", "")
    if title:
        out += [title, "=" * len(title), ""]
    if meta.get("summary"):
        out += [meta["summary"], ""]
    for line in body.strip().splitlines():
        plain = re.sub(r"\*\*(.+?)\*\*", r"\1", line).replace("`", "")
        heading = re.match(r"#{2,6} +(.*)", plain)
        if heading:
            out += [heading.group(1), "-" * len(heading.group(1))]
        else:
            out.append(plain)
    return "\n".join(out).rstrip() + "\n"


# ---- the Downloads page's list of packs --------------------------------------------------------

PACKS_BLOCK = re.compile(r'<div class="terrain-packs">.*?</div>', re.S)


def pack_version(project: Project) -> str:
    """The version in the packs' names; a country edition's carries its code: terrain-0.1.0-bf-fr.zip."""
    code = countries.current_code()
    return f"{version(project.root)}-{code}" if code else version(project.root)


def pack_names(ver: str, languages: list[str]) -> list[str]:
    """The files `terrain pack` writes, in the order the Downloads page lists them."""
    return [*(f"terrain-{ver}-{lang}.zip" for lang in languages), f"terrain-{ver}-all.zip", zim_name(ver), "SHA256SUMS"]


def packs_html(project: Project, lang: str, href, folder: Path | None, offline: bool = False) -> str:
    """The Downloads page's list of packs in `lang`: a link and a size for each file of `folder`
    (None or empty: a note that they are not made yet), or, in a pack (`offline`), a sentence
    saying where the packs are found. `href(path)` makes a site path relative to the page."""
    if offline:
        inner = f"<p>{html.escape(project.text(lang, 'labels', 'packs_offline'))}</p>"
    else:
        from .render import human_size

        names = [n for n in pack_names(pack_version(project), project.languages) if folder and (folder / n).is_file()]
        if names and folder is not None:
            items = "".join(
                f'<li><a href="{html.escape(href("downloads/packs/" + n))}" download>{n}</a>, '
                f"{human_size((folder / n).stat().st_size, lang, project)}</li>"
                for n in names
            )
            inner = f"<ul>{items}</ul>"
        else:
            inner = f"<p><em>{html.escape(project.text(lang, 'labels', 'packs_not_made'))}</em></p>"
    return f'<div class="terrain-packs">{inner}</div>'


def page_language(path: str, languages: list[str], default: str) -> str:
    """The language of a site page, from its folder (fr/…) or the default."""
    first = path.split("/", 1)[0]
    return first if first in languages and first != default and "/" in path else default


def _with_packs(project: Project, path: str, data: bytes, folder: Path | None, offline: bool) -> bytes:
    """A page with its list of packs redrawn (see packs_html); other files as they are."""
    if not path.endswith(".html") or b'<div class="terrain-packs">' not in data:
        return data
    lang = page_language(path, project.languages, project.default_language)
    up = "../" * path.count("/")
    block = packs_html(project, lang, lambda target: up + target, folder, offline)
    return PACKS_BLOCK.sub(lambda _: block, data.decode("utf-8"), count=1).encode("utf-8")


def offline_page(project: Project | None):
    """The function that gives a site file's bytes as a pack holds them: (path, bytes) -> bytes."""
    if project is None:
        return lambda path, data: data
    return lambda path, data: _with_packs(project, path, data, None, offline=True)


def publish(project: Project, site: Path, folder: Path) -> list[str]:
    """Put the packs of `folder` into SITE/downloads/packs (hard links where the file system
    allows) and redraw the list of packs on the site's pages; returns the pages redrawn."""
    import shutil

    target = site / "downloads" / "packs"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for path in sorted(folder.iterdir()):
        if path.is_file() and not path.name.startswith(".") and not path.name.endswith(".part"):
            try:
                os.link(path, target / path.name)
            except OSError:
                shutil.copy2(path, target / path.name)
    redrawn = []
    for page in sorted(site.rglob("*.html")):
        name = page.relative_to(site).as_posix()
        data = page.read_bytes()
        new = _with_packs(project, name, data, folder, offline=False)
        if new != data:
            write_whole(page, new)
            redrawn.append(name)
    return redrawn


# ---- zips ------------------------------------------------------------------------------------


def write_whole(path: Path, data: bytes) -> None:
    """Write a file that others may read meanwhile (a site build copying build/downloads,
    `serve --lan`): to NAME.part, then renamed over NAME, so that no reader ever meets half of it,
    not even after a crash (a `.part` is never published)."""
    partial = path.with_name(path.name + ".part")
    try:
        partial.write_bytes(data)
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def source_epoch() -> int | None:
    """SOURCE_DATE_EPOCH (reproducible-builds.org): the time a build says it was made, when set.
    The packs, the ZIM and the print edition's PDFs and DOCX carry it instead of the clock's."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    return int(epoch) if epoch.isdigit() else None


def build_date() -> datetime.date:
    """The date a build gives (the ZIM's Date, the print edition's covers): SOURCE_DATE_EPOCH's, else today."""
    epoch = source_epoch()
    return datetime.datetime.fromtimestamp(epoch, datetime.UTC).date() if epoch is not None else datetime.date.today()


def zip_date() -> tuple[int, int, int, int, int, int]:
    """The timestamp of every zip entry: SOURCE_DATE_EPOCH when set, else 1980-01-01."""
    epoch = source_epoch()
    if epoch is None:
        return ZIP_EPOCH
    t = time.gmtime(epoch)
    return max(ZIP_EPOCH, (t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec))


def _entry(name: str, date: tuple) -> zipfile.ZipInfo:
    """A zip entry with nothing of the machine in it: fixed date, rw-r--r--, Unix."""
    info = zipfile.ZipInfo(name, date_time=date)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3
    info.external_attr = 0o100644 << 16
    return info


def reproducible_zip(data: bytes) -> bytes:
    """A zip (a DOCX) with every entry as `_entry` writes it: same order, names and contents, with
    zip_date() instead of the time it was written, so that two runs give the same bytes."""
    import io

    date, out = zip_date(), io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as archive:
        for item in source.infolist():
            info = _entry(item.filename, date)
            info.compress_type = item.compress_type
            archive.writestr(info, source.read(item), compresslevel=COMPRESS_LEVEL)
    return out.getvalue()


def write_zip(
    target: Path,
    site: Path,
    files: list[str],
    top: str,
    readme_text: str,
    extra: dict[str, bytes | Path] | None = None,
    page=None,
) -> Path:
    """Write a reproducible zip of `files` under the folder `top`, with README.txt first.

    `extra` adds files at the top of the folder (the share guides, the ZIM file); then, when
    there are any, a SHA256SUMS of every other file in the zip, for `sha256sum -c` after unzipping.
    `page(path, bytes)` gives a site file as the pack holds it (see offline_page).
    """
    page = page or (lambda path, data: data)
    date = zip_date()
    partial = target.with_name(target.name + ".part")  # never leave half a pack under the real name
    sums: list[tuple[str, str]] = []
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL) as archive:

        def add(name: str, data: bytes | Path) -> None:
            info = _entry(f"{top}/{name}", date)
            if isinstance(data, Path):  # a large file already compressed (the ZIM): stored, streamed
                info.compress_type = zipfile.ZIP_STORED
                digest = hashlib.sha256()
                with data.open("rb") as source, archive.open(info, "w", force_zip64=True) as sink:
                    for block in iter(lambda: source.read(1 << 20), b""):
                        digest.update(block)
                        sink.write(block)
                sums.append((digest.hexdigest(), name))
                return
            archive.writestr(info, data, compresslevel=COMPRESS_LEVEL)
            sums.append((hashlib.sha256(data).hexdigest(), name))

        add("README.txt", readme_text.encode("utf-8"))
        for name, data in (extra or {}).items():
            add(name, data)
        for name in files:
            add(name, page(name, (site / name).read_bytes()))
        if extra:
            listing = "".join(f"{digest}  {name}\n" for digest, name in sorted(sums, key=lambda s: s[1]))
            archive.writestr(_entry(f"{top}/SHA256SUMS", date), listing.encode("utf-8"), compresslevel=COMPRESS_LEVEL)
    partial.replace(target)
    return target


# ---- ZIM -------------------------------------------------------------------------------------


def png(width: int, height: int, pixel) -> bytes:
    """An 8-bit RGB PNG made with zlib alone; pixel(x, y) gives each (r, g, b)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\0" + bytes(c for x in range(width) for c in pixel(x, y)) for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def _inside(polygon: list[tuple[float, float]], x: float, y: float) -> bool:
    """Even-odd rule: whether a point falls inside a polygon."""
    inside = False
    for (x1, y1), (x2, y2) in zip(polygon, polygon[1:] + polygon[:1]):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def illustration(size: int = 48) -> bytes:
    """The Terrain mark (docs/assets/images/terrain-mark.svg) in white on brown, as a PNG."""
    # the mark's path, viewBox 0 0 24 24
    mountains: list[tuple[float, float]] = [(2, 20), (9, 8), (13, 14), (16, 10), (22, 20)]
    sun, radius = (17, 5), 2.2

    def pixel(x: int, y: int) -> tuple[int, int, int]:
        vx, vy = (x + 0.5) * 24 / size, (y + 0.5) * 24 / size
        in_sun = (vx - sun[0]) ** 2 + (vy - sun[1]) ** 2 <= radius**2
        return WHITE if in_sun or _inside(mountains, vx, vy) else BROWN

    return png(size, size, pixel)


def page_title(path: Path) -> str:
    """The text of an HTML page's <title>, or its file name."""
    match = re.search(r"<title>(.*?)</title>", path.read_text(encoding="utf-8", errors="replace"), re.S)
    return html.unescape(match.group(1)).strip() if match else path.name


def mimetype(name: str) -> str:
    """The MIME type a ZIM reader needs to show a file."""
    known = {
        ".js": "application/javascript",
        ".json": "application/json",
        ".svg": "image/svg+xml",
        ".woff2": "font/woff2",
        ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
    suffix = Path(name).suffix.lower()
    guessed = known.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    return guessed + ";charset=UTF-8" if guessed.startswith("text/") and guessed != "text/html" else guessed


def zim_languages(languages: list[str]) -> str:
    """The ZIM Language metadata: the site's languages in ISO 639-3, comma-separated."""
    codes = []
    for lang in languages:
        code = ISO639_3.get(lang) or ISO639_3.get(lang.split("-")[0])  # fr-BF is French, pt-MZ Portuguese
        if code and code not in codes:
            codes.append(code)
        elif not code:
            print(
                f"terrain pack: no ISO 639-3 code known for `{lang}` — add it to ISO639_3 in terrain/pack.py; "
                "the ZIM file's Language metadata leaves it out",
                file=sys.stderr,
            )
    return ",".join(codes) or "eng"


@contextlib.contextmanager
def quiet_stdout():
    """Silence file descriptor 1: libzim prints its progress there, between `terrain pack`'s paths."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 1)
            yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def summaries(project: Project, languages: list[str]) -> list[str]:
    """The `summary` of docs/index.LANG.md in each language that has one (the ZIM's descriptions).
    A language whose home page is still a draft is left out: a draft holds the default language's
    text, which must not stand in the description as that language's (nor appear twice)."""
    from .checks import is_draft

    found: list[str] = []
    for lang in languages:
        home = project.docs.get("index.md", {}).get(lang)
        if lang != project.default_language and (home is None or is_draft(home)):
            continue
        page = project.root / "docs" / f"index.{lang}.md"
        text = page.read_text(encoding="utf-8") if page.is_file() else ""
        match = re.search(r"^summary:[ \t]*(.+)$", text.split("\n---", 1)[0], re.M) if text.startswith("---") else None
        summary = match.group(1).strip().strip("\"'") if match else ""
        if summary and summary not in found:
            found.append(summary)
    return found


def zim_metadata(project: Project, languages: list[str]) -> dict[str, str | datetime.date]:
    """The openZIM metadata (https://wiki.openzim.org/wiki/Metadata) of the pack's ZIM.

    The spec has one Description (at most 80 characters) and one LongDescription (at most 4000)
    per file, not one per language: the Description is the project's, the LongDescription the
    home page's summary in every language, one paragraph each.
    """
    default = project.default_language
    long = "\n\n".join(summaries(project, languages)) or project.text(default, "pack_readme", "zim_long_description")
    edition = countries.edition(project)  # another book for Kiwix, not a version
    return {
        "Name": f"terrain-{edition.code}_mul_all" if edition else "terrain_mul_all",
        "Flavour": "all",
        "Title": f"Terrain – {edition.name(next(iter(edition.languages), ''))}"[:30] if edition else "Terrain",
        "Language": zim_languages(languages),
        "Description": project.text(default, "pack_readme", "zim_description")[:80],
        "LongDescription": long[:4000],
        "Creator": ZIM_CREATOR,
        "Publisher": ZIM_CREATOR,
        "Date": build_date(),
        "Tags": "_category:other;_ftindex:yes;_pictures:yes;_videos:no;_details:yes;curriculum;mining;training",
    }


def write_zim(target: Path, site: Path, files: list[str], languages: list[str], project: Project) -> Path:
    """Write one ZIM file of every language's pages, with a full-text index; reproducible.

    libzim is pinned to the newest release whose files Debian 12's readers (libzim 8.1) open:
    python-libzim 3.7 and later (libzim 9.3+) write a title index that libzim 8 rejects. Its
    Creator cannot be given a UUID (python-libzim 3.6 leaves `set_uuid` out), so the file's
    random UUIDs are replaced afterwards (reproducible_zim). One worker: with several, the
    full-text index numbers the pages in the order the threads finish.
    """
    from libzim.writer import Creator, FileProvider, Hint, Item, StringProvider

    page = offline_page(project)

    class SiteFile(Item):
        """One site file as a ZIM entry."""

        def __init__(self, name: str):
            super().__init__()
            self.name, self.source, self.mime = name, site / name, mimetype(name)
            self.content: bytes | None = None
            if self.mime == "text/html":
                data = self.source.read_bytes()
                changed = page(name, data)
                self.content = changed if changed != data else None

        def get_path(self) -> str:
            return self.name

        def get_title(self) -> str:
            return page_title(self.source) if self.mime == "text/html" else ""

        def get_mimetype(self) -> str:
            return self.mime

        def get_contentprovider(self):
            return StringProvider(self.content) if self.content is not None else FileProvider(str(self.source))

        def get_hints(self) -> dict:
            # 404.html is a page but not an article a reader should land on
            article = self.mime == "text/html" and not self.name.endswith("404.html")
            packed = self.mime.startswith(("text/", "application/javascript", "application/json", "image/svg"))
            return {Hint.FRONT_ARTICLE: article, Hint.COMPRESS: packed}

    if "index.html" not in files:
        raise PackError(f"the site in {site} has no index.html — build the site first: make build")
    partial = target.with_name(target.name + ".part")
    partial.unlink(missing_ok=True)
    with (
        quiet_stdout(),
        Creator(str(partial)).config_indexing(True, ZIM_INDEX_LANGUAGE).config_nbworkers(1) as creator,
    ):
        creator.set_mainpath("index.html")
        creator.add_illustration(48, illustration(48))
        for key, value in zim_metadata(project, languages).items():
            creator.add_metadata(key, value)
        for name in files:
            creator.add_item(SiteFile(name))
    reproducible_zim(partial)
    partial.replace(target)
    return target


ZIM_MAGIC = 72173914
XAPIAN_GLASS = b"\x0f\rXapian Glass"  # a Xapian glass database starts so: then 2 bytes of version, 16 of UUID


def zim_uuid_offsets(data: bytes) -> list[int]:
    """Where a ZIM file written by libzim holds a UUID: the header's (byte 8), then that of each
    Xapian index stored in it (entries of namespace X: full-text and title indexes).

    Reads the header, the directory entries and the cluster offsets as the ZIM format gives them
    (https://wiki.openzim.org/wiki/ZIM_file_format), all little-endian.
    """
    magic, _major, _minor = struct.unpack_from("<IHH", data, 0)
    if magic != ZIM_MAGIC:
        raise PackError("not a ZIM file: libzim wrote something unexpected")
    count, clusters, url_ptr, _title_ptr, cluster_ptr = struct.unpack_from("<IIQQQ", data, 24)
    offsets = [8]
    for index in range(count):
        (entry,) = struct.unpack_from("<Q", data, url_ptr + 8 * index)
        mime, _param, namespace = struct.unpack_from("<HBc", data, entry)
        if mime == 0xFFFF or namespace != b"X":  # a redirect, or not an index
            continue
        cluster, blob = struct.unpack_from("<II", data, entry + 8)
        if cluster >= clusters:
            continue
        (start,) = struct.unpack_from("<Q", data, cluster_ptr + 8 * cluster)
        info = data[start]
        if info & 0x0F not in (0, 1):  # a compressed cluster holds no index: libzim stores them raw
            continue
        width = 8 if info & 0x10 else 4
        (first,) = struct.unpack_from("<Q" if width == 8 else "<I", data, start + 1 + width * blob)
        where = start + 1 + first
        if data[where : where + len(XAPIAN_GLASS)] == XAPIAN_GLASS:
            offsets.append(where + len(XAPIAN_GLASS) + 2)
    return offsets


def reproducible_zim(path: Path) -> str:
    """Replace the random UUIDs of a ZIM file by ones derived from its content, then write its
    MD5 checksum (the last 16 bytes, of everything before them) again; returns the new UUID."""
    import uuid

    data = bytearray(path.read_bytes())
    (checksum_at,) = struct.unpack_from("<Q", data, 72)
    if checksum_at != len(data) - 16:
        raise PackError(f"{path.name}: the ZIM checksum is not at the end of the file; cannot make it reproducible")
    offsets = zim_uuid_offsets(bytes(data))
    for at in offsets:
        data[at : at + 16] = bytes(16)
    content = hashlib.sha256(memoryview(data)[:checksum_at]).hexdigest()
    ids = [uuid.uuid5(uuid.NAMESPACE_URL, f"terrain:zim:{content}:{n}") for n in range(len(offsets))]
    for at, new in zip(offsets, ids):
        data[at : at + 16] = new.bytes
    data[checksum_at:] = hashlib.md5(memoryview(data)[:checksum_at]).digest()
    path.write_bytes(data)
    return str(ids[0])


# ---- checksums and the whole ------------------------------------------------------------------


def sha256(path: Path) -> str:
    """The SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_sums(out: Path, paths: list[Path]) -> Path:
    """Write SHA256SUMS in the format `sha256sum -c` reads: hash, two spaces, name."""
    target = out / "SHA256SUMS"
    target.write_text("".join(f"{sha256(p)}  {p.name}\n" for p in sorted(paths)), encoding="utf-8", newline="\n")
    return target


def clear_old(out: Path) -> None:
    """Remove packs of earlier versions, so that the Downloads page lists only this one."""
    for old in sorted(out.glob("terrain-*.zip")) + sorted(out.glob("terrain-*.zim")) + sorted(out.glob("*.part")):
        old.unlink()


def build_packs(project: Project, site: Path | None = None, out: Path | None = None) -> list[Path]:
    """Zip the built site per language and for all, write SHA256SUMS and a ZIM; return the files.
    Then put them into the site's downloads/packs and list them on its Downloads page (publish).

    The sources are checked first. The packs are written into a folder beside `out` and swapped
    in whole, so an interrupted or failed run leaves the previous packs and their SHA256SUMS
    exactly as they were.
    """
    import shutil

    from .checks import require_clean
    from .problems import ProblemsFound, report

    try:
        require_clean(project)
    except ProblemsFound as error:
        raise PackError("the sources have problems; no pack was written.\n" + report(error.problems)) from None
    site = Path(site) if site else project.root / "site"
    if not (site / "index.html").is_file():
        raise PackError(f"no built site in {site} — build the site first: make build")
    out = Path(out) if out else project.downloads / "packs"
    out.parent.mkdir(parents=True, exist_ok=True)
    fresh = out.with_name(f".{out.name}.new-{os.getpid()}")
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir()
    try:
        names = _write_packs(project, site, fresh)
        stale = out.with_name(f".{out.name}.old-{os.getpid()}")
        if out.exists():
            out.replace(stale)
        fresh.replace(out)
        shutil.rmtree(stale, ignore_errors=True)
        publish(project, site, out)  # the site offers its packs, sizes included: no second build
    except KeyboardInterrupt:
        shutil.rmtree(fresh, ignore_errors=True)
        raise PackError("interrupted — the previous packs are unchanged; run `terrain pack` again") from None
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    return [out / name for name in names]


def _write_packs(project: Project, site: Path, out: Path) -> list[str]:
    ver, languages, default = pack_version(project), project.languages, project.default_language
    names = {lang: str(project.ui.get(lang, {}).get("language_name") or lang) for lang in languages}
    edition = countries.edition(project)  # a country edition: its code in every name, a zip per language of it
    if edition is not None:
        names = {lang: f"{name} — {edition.name(lang)}" for lang, name in names.items()}
    zim = write_zim(out / zim_name(ver), site, pack_files(site, None, languages, default), languages, project)
    written = []
    for lang in [*(l for l in languages if edition is None or l in edition.languages), None]:
        top = f"terrain-{ver}-{lang or 'all'}"
        files = pack_files(site, lang, languages, default)
        extra: dict[str, bytes | Path] = {}
        if lang is None:  # the all-languages zip is the kit: share guides, the ZIM, SHA256SUMS inside
            for text_lang in languages:
                guide = share_text(project, text_lang)
                if guide is not None:
                    extra[share_name(text_lang)] = guide.encode("utf-8")
            extra[zim.name] = zim
        text = readme(project, lang, names, top, ver)
        written.append(write_zip(out / f"{top}.zip", site, files, top, text, extra, offline_page(project)))
    written.append(zim)
    return [p.name for p in [*written, write_sums(out, written)]]
