"""The offline packs: what each zip holds and leaves out, checksums, reproducibility, the ZIM file."""

from __future__ import annotations

import hashlib
import html
import shutil
import struct
import zipfile
import zlib
from importlib.metadata import version
from pathlib import Path

import pytest

from terrain import pack

VERSION = version("terrain")  # the installed package's, from pyproject.toml


def names(path: Path) -> list[str]:
    """The entries of a zip, without its top folder."""
    with zipfile.ZipFile(path) as archive:
        return [name.split("/", 1)[1] for name in archive.namelist()]


@pytest.fixture(scope="module")
def site_copy(site, tmp_path_factory) -> Path:
    """A private copy of the real built site, so that another build cannot change it mid-test."""
    target = tmp_path_factory.mktemp("pack") / "site"
    shutil.copytree(site, target)
    return target


@pytest.fixture(scope="module")
def packs(project, site_copy, tmp_path_factory) -> dict[str, Path]:
    """The packs of the real site, written once into a temporary folder."""
    out = tmp_path_factory.mktemp("packs")
    return {path.name: path for path in pack.build_packs(project, site_copy, out)}


# ---- the real site ---------------------------------------------------------------------------


@pytest.mark.slow
def test_every_pack_is_written(packs, project):
    """A zip per configured language (one in progress too: its pages show the default language
    with a notice), the all-languages zip, the ZIM and the checksums."""
    assert sorted(packs) == sorted(
        [
            *(f"terrain-{VERSION}-{lang}.zip" for lang in project.languages),
            f"terrain-{VERSION}-all.zip",
            f"terrain-{VERSION}.zim",
            "SHA256SUMS",
        ]
    )


@pytest.mark.slow
def test_the_french_zip_holds_french_pages_assets_search_and_downloads(packs, site_copy):
    path = packs[f"terrain-{VERSION}-fr.zip"]
    entries = names(path)
    with zipfile.ZipFile(path) as archive:
        assert all(name.startswith(f"terrain-{VERSION}-fr/") for name in archive.namelist())
        assert "hors ligne" in archive.read(f"terrain-{VERSION}-fr/README.txt").decode("utf-8")
    assert "fr/index.html" in entries
    assert "fr/search/search_index.json" in entries
    assert any(name.startswith("assets/stylesheets/") for name in entries)
    assert "assets/javascripts/lunr/min/lunr.fr.min.js" in entries
    pdfs = sorted(p.relative_to(site_copy).as_posix() for p in (site_copy / "downloads" / "fr").rglob("*.pdf"))
    assert set(pdfs) <= set(entries)


@pytest.mark.slow
def test_the_french_zip_leaves_out_english_maps_and_other_lunr_languages(packs):
    entries = names(packs[f"terrain-{VERSION}-fr.zip"])
    assert not [name for name in entries if name.endswith(".map")]
    assert "assets/javascripts/lunr/min/lunr.de.min.js" not in entries
    assert not [name for name in entries if name.startswith(("downloads/en/", "downloads/packs/"))]
    assert "index.html" not in entries and "search/search_index.json" not in entries
    assert not [name for name in entries if name.endswith(".html") and not name.startswith("fr/")]


@pytest.mark.slow
def test_the_default_language_zip_holds_its_pages_only(packs, project):
    entries = names(packs[f"terrain-{VERSION}-{project.default_language}.zip"])
    assert "index.html" in entries and "search/search_index.json" in entries
    others = tuple(p for lang in project.languages[1:] for p in (f"{lang}/", f"downloads/{lang}/"))
    assert not [name for name in entries if name.startswith(others)]


@pytest.mark.slow
def test_the_all_zip_holds_every_language(packs, project):
    entries = names(packs[f"terrain-{VERSION}-all.zip"])
    for lang in project.languages:
        prefix = "" if lang == project.default_language else f"{lang}/"
        for name in (f"{prefix}index.html", f"{prefix}search/search_index.json"):
            assert name in entries, name
    assert not [name for name in entries if name.endswith(".map") or name.startswith("downloads/packs/")]


@pytest.mark.slow
def test_sha256sums_matches_every_file(packs):
    lines = packs["SHA256SUMS"].read_text(encoding="utf-8").splitlines()
    listed = dict(reversed(line.split("  ", 1)) for line in lines)
    assert sorted(listed) == sorted(name for name in packs if name != "SHA256SUMS")
    for name, digest in listed.items():
        assert hashlib.sha256(packs[name].read_bytes()).hexdigest() == digest


def entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name.split("/", 1)[1]: archive.read(name) for name in archive.namelist()}


@pytest.mark.slow
def test_packing_twice_gives_byte_identical_packs(project, site_copy, packs, tmp_path):
    """Zips and ZIM file alike, so SHA256SUMS is the same: the second run packs a site whose
    Downloads page the first run has filled in, and the packs' copies of that page are the same."""
    again = {path.name: path for path in pack.build_packs(project, site_copy, tmp_path / "again")}
    assert again["SHA256SUMS"].read_text(encoding="utf-8") == packs["SHA256SUMS"].read_text(encoding="utf-8")
    for name in packs:
        assert again[name].read_bytes() == packs[name].read_bytes(), name


# ---- the all-languages zip is the kit: site, ZIM, share guides, SHA256SUMS ------------------


@pytest.mark.slow
def test_the_all_zip_carries_the_zim_the_share_guides_and_its_checksums(packs, project):
    inside = entries(packs[f"terrain-{VERSION}-all.zip"])
    assert inside[f"terrain-{VERSION}.zim"] == packs[f"terrain-{VERSION}.zim"].read_bytes()
    for lang in project.languages:  # a guide in every configured language, from docs/share.LANG.md
        title = (
            (project.root / "docs" / f"share.{lang}.md")
            .read_text(encoding="utf-8")
            .split("title:", 1)[1]
            .splitlines()[0]
            .strip()
        )
        guide = inside[f"SHARE.{lang}.txt"].decode("utf-8")
        assert guide.startswith(title + "\n"), lang
        assert "Kiwix" in guide and "SHA256SUMS" in guide and "`" not in guide and "**" not in guide
        assert f"SHARE.{lang}.txt" in inside["README.txt"].decode("utf-8")
    listed = dict(reversed(line.split("  ", 1)) for line in inside["SHA256SUMS"].decode("utf-8").splitlines())
    assert sorted(listed) == sorted(name for name in inside if name != "SHA256SUMS")
    for name, digest in listed.items():
        assert hashlib.sha256(inside[name]).hexdigest() == digest, name


@pytest.mark.slow
def test_the_zim_carries_the_openzim_metadata(packs, project):
    from libzim.reader import Archive

    archive = Archive(packs[f"terrain-{VERSION}.zim"])
    meta = {
        key: archive.get_metadata(key).decode("utf-8")
        for key in archive.metadata_keys
        if not key.startswith("Illustration")
    }
    for key in (
        "Name",
        "Title",
        "Description",
        "LongDescription",
        "Language",
        "Creator",
        "Publisher",
        "Date",
        "Tags",
        "Flavour",
    ):
        assert meta.get(key), key
    assert len(meta["Title"]) <= 30 and len(meta["Description"]) <= 80 and len(meta["LongDescription"]) <= 4000
    known = [pack.ISO639_3[lang] for lang in project.languages if lang in pack.ISO639_3]  # others are warned of
    assert meta["Language"].split(",") == (known or ["eng"])
    from conftest import draft_languages

    drafts = draft_languages(project)  # a language in progress may still have its home page a draft
    paragraphs = meta["LongDescription"].split("\n\n")
    assert len(project.languages) - len(drafts) <= len(paragraphs) <= len(project.languages)  # one per language
    assert archive.has_illustration(48)


@pytest.mark.slow
def test_the_zim_opens_with_its_metadata_main_page_and_french_search(packs, project):
    from libzim.reader import Archive
    from libzim.search import Query, Searcher

    archive = Archive(packs[f"terrain-{VERSION}.zim"])
    assert archive.get_metadata("Title") == b"Terrain"
    assert archive.get_metadata("Language") == pack.zim_languages(project.languages).encode()
    assert b"fra" in archive.get_metadata("Language")
    assert archive.get_metadata("Name") == b"terrain_mul_all"
    assert archive.has_illustration(48)  # get_illustration_sizes() warns it is deprecated
    assert archive.main_entry.get_item().path == "index.html"
    assert archive.has_fulltext_index
    search = Searcher(archive).search(Query().set_query("réhabilitation"))
    found = list(search.getResults(0, 50))
    assert [path for path in found if path.startswith("fr/")], found


# ---- a small site of its own -----------------------------------------------------------------


@pytest.fixture
def tiny_site(tmp_path) -> Path:
    """A handful of files laid out like the built site."""
    files = [
        "index.html",
        "404.html",
        "sitemap.xml",
        "sitemap.xml.gz",
        "search/search_index.json",
        "fr/index.html",
        "fr/search/search_index.json",
        "assets/stylesheets/main.css",
        "assets/stylesheets/main.css.map",
        "assets/javascripts/lunr/min/lunr.fr.min.js",
        "assets/javascripts/lunr/min/lunr.de.min.js",
        "assets/javascripts/lunr/min/lunr.stemmer.support.min.js",
        "assets/javascripts/lunr/tinyseg.js",
        "downloads/en/books/handbook.pdf",
        "downloads/fr/books/handbook.pdf",
        "downloads/packs/terrain-0.0.1-all.zip",
    ]
    for name in files:
        path = tmp_path / "site" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"<title>{name}</title>" if name.endswith(".html") else name, encoding="utf-8")
    return tmp_path / "site"


def test_pack_files_follow_the_language_rules(tiny_site, project):
    from terrain.site import prune_search_languages

    prune_search_languages(tiny_site, project)  # what every site build does before packing
    en = pack.pack_files(tiny_site, "en", ["en", "fr"], "en")
    fr = pack.pack_files(tiny_site, "fr", ["en", "fr"], "en")
    every = pack.pack_files(tiny_site, None, ["en", "fr"], "en")
    kept_lunr = [
        "assets/javascripts/lunr/min/lunr.fr.min.js",
        "assets/javascripts/lunr/min/lunr.stemmer.support.min.js",
    ]
    assert en == [
        "404.html",
        "assets/javascripts/lunr/min/lunr.fr.min.js",
        "assets/javascripts/lunr/min/lunr.stemmer.support.min.js",
        "assets/stylesheets/main.css",
        "downloads/en/books/handbook.pdf",
        "index.html",
        "search/search_index.json",
        "sitemap.xml",
    ]
    assert fr == [
        *kept_lunr,
        "assets/stylesheets/main.css",
        "downloads/fr/books/handbook.pdf",
        "fr/index.html",
        "fr/search/search_index.json",
    ]
    assert set(every) == set(en) | set(fr)


def test_a_missing_site_is_a_clear_error(project, tmp_path):
    with pytest.raises(pack.PackError, match="build the site first: make build"):
        pack.build_packs(project, tmp_path / "nowhere", tmp_path / "out")


def test_zip_entries_carry_no_trace_of_the_machine(tiny_site, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    target = pack.write_zip(tmp_path / "t.zip", tiny_site, ["index.html"], "top", "read me")
    with zipfile.ZipFile(target) as archive:
        infos = archive.infolist()
    assert [info.filename for info in infos] == ["top/README.txt", "top/index.html"]
    assert {info.date_time for info in infos} == {(2023, 11, 14, 22, 13, 20)}
    assert {info.external_attr >> 16 for info in infos} == {0o100644}
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert pack.zip_date() == (1980, 1, 1, 0, 0, 0)


def test_a_zip_rewritten_for_reproducibility_keeps_its_entries_and_loses_its_clock(monkeypatch):
    """What the print edition does to each DOCX: the same entries, in the same order, with the same
    bytes and compression, dated zip_date() instead of the time python-docx wrote them."""
    import io

    def written(when: tuple) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr(zipfile.ZipInfo("[Content_Types].xml", when), b"<Types/>")
            archive.writestr(zipfile.ZipInfo("word/document.xml", when), b"<w:document/>" * 50, zipfile.ZIP_DEFLATED)
        return out.getvalue()

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    morning, evening = written((2026, 11, 30, 8, 0, 0)), written((2026, 11, 30, 20, 0, 0))
    assert morning != evening
    assert pack.reproducible_zip(morning) == pack.reproducible_zip(evening)
    with zipfile.ZipFile(io.BytesIO(pack.reproducible_zip(morning))) as archive:
        infos = archive.infolist()
        assert [(i.filename, i.compress_type, i.date_time) for i in infos] == [
            ("[Content_Types].xml", zipfile.ZIP_STORED, (1980, 1, 1, 0, 0, 0)),
            ("word/document.xml", zipfile.ZIP_DEFLATED, (1980, 1, 1, 0, 0, 0)),
        ]
        assert archive.read("word/document.xml") == b"<w:document/>" * 50


def test_a_language_without_an_iso_639_3_code_is_left_out_of_the_zim_language_with_a_warning(capsys):
    assert pack.zim_languages(["en", "qa", "fr"]) == "eng,fra"
    assert "no ISO 639-3 code known for `qa`" in capsys.readouterr().err


def test_the_illustration_is_a_48_pixel_png_in_two_colours():
    data = pack.illustration(48)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (48, 48)
    idat = data.index(b"IDAT")
    size = struct.unpack(">I", data[idat - 4 : idat])[0]
    pixels = zlib.decompress(data[idat + 4 : idat + 4 + size])
    assert len(pixels) == 48 * (1 + 48 * 3)
    colours = {pixels[i : i + 3] for row in range(48) for i in range(row * 145 + 1, row * 145 + 145, 3)}
    assert colours == {bytes(pack.BROWN), bytes(pack.WHITE)}


def test_every_readme_line_is_an_interface_string_of_every_language(project):
    """Each line of a pack's README.txt comes from `pack_readme:` in data/ui/LANG.yml: a language
    whose file has none reads the default language's lines, never Python's."""
    names_ = {lang: str(project.ui.get(lang, {}).get("language_name") or lang) for lang in project.languages}
    for lang in project.languages:
        own = project.ui.get(lang, {}).get("pack_readme") or project.ui[project.default_language]["pack_readme"]
        text = pack.readme(project, lang, names_, f"terrain-x-{lang}", "x")
        for key in ("downloads", "licence"):
            assert own[key] in text, (lang, key)
        assert pack.start_page(lang, project.default_language) in text
    both = pack.readme(project, None, names_, "terrain-x-all", "x")
    for lang in project.languages:
        strings = project.ui.get(lang, {}).get("pack_readme") or {}
        assert not strings or strings["sums_inside"] in both, lang
    missing = pack.readme(project, "zz", {**names_, "zz": "Zz"}, "terrain-x-zz", "x")  # no strings yet
    assert project.ui[project.default_language]["pack_readme"]["downloads"] in missing


def test_the_list_of_packs_is_filled_in_on_the_site_and_a_sentence_in_the_packs(tmp_path, project):
    """Every configured language: before packing, a note; after, a link and a size per pack;
    in a pack's copy, the sentence of data/ui/LANG.yml and no link."""
    site = tmp_path / "site"
    folder = tmp_path / "packs"
    folder.mkdir()
    ver = pack.version(project.root)
    for name in pack.pack_names(ver, project.languages):
        (folder / name).write_bytes(b"x" * 2048)
    pages = {}
    for lang in project.languages:
        name = "downloads.html" if lang == project.default_language else f"{lang}/downloads.html"
        up = "../" * name.count("/")
        block = pack.packs_html(project, lang, lambda path, up=up: up + path, tmp_path / "none")
        assert html.escape(project.text(lang, "labels", "packs_not_made")) in block and "href" not in block
        pages[name] = (lang, f"<html><body><h1>{lang}</h1>\n{block}\n<p>after</p></body></html>")
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(pages[name][1], encoding="utf-8")
    (site / "index.html").write_text("<title>home</title>", encoding="utf-8")
    assert sorted(pack.publish(project, site, folder)) == sorted(pages)
    offline = pack.offline_page(project)
    for name, (lang, before) in pages.items():
        online = (site / name).read_text(encoding="utf-8")
        up = "../" * name.count("/")
        assert online.count("<li>") == len(project.languages) + 3 and "<p>after</p>" in online
        assert f'href="{up}downloads/packs/terrain-{ver}.zim"' in online
        assert pack.offline_page(project)(name, online.encode()) == offline(name, before.encode())
        packed = offline(name, online.encode()).decode("utf-8")
        assert "href" not in packed and html.escape(project.text(lang, "labels", "packs_offline")) in packed
        assert (site / "downloads" / "packs" / f"terrain-{ver}.zim").read_bytes() == b"x" * 2048


def test_a_zim_written_twice_is_the_same_file_and_still_reads(tiny_site, tmp_path, project):
    """The UUIDs libzim draws at random are replaced by ones derived from the content; the MD5
    checksum is written again, and the reader finds the file whole, with its full-text index."""
    from libzim.reader import Archive
    from libzim.search import Query, Searcher

    (tiny_site / "index.html").write_text("<title>Terrain</title><p>orpaillage alluvionnaire</p>", encoding="utf-8")
    files = ["index.html", "fr/index.html", "assets/stylesheets/main.css"]
    first = pack.write_zim(tmp_path / "a.zim", tiny_site, files, project.languages, project)
    second = pack.write_zim(tmp_path / "b.zim", tiny_site, files, project.languages, project)
    data = first.read_bytes()
    assert data == second.read_bytes()
    offsets = pack.zim_uuid_offsets(data)
    assert offsets[0] == 8 and len(offsets) >= 2  # the header, then each Xapian index
    assert len({data[at : at + 16] for at in offsets}) == len(offsets)
    assert hashlib.md5(data[:-16]).digest() == data[-16:]
    archive = Archive(first)
    assert archive.check() and archive.uuid.bytes == data[8:24]
    found = list(Searcher(archive).search(Query().set_query("orpaillage")).getResults(0, 10))
    assert found == ["index.html"]


# ---- readers that are not the writer's library: Debian's zimcheck and kiwix-serve -----------

INSTALL_KIWIX = (
    "install Debian's Kiwix tools: sudo apt-get install -y zim-tools kiwix-tools (make test does it as root)"
)


def kiwix_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"`{name}` is missing — {INSTALL_KIWIX}")
    return path


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.slow
def test_zimcheck_finds_nothing_wrong_in_the_zim(packs):
    import subprocess

    result = subprocess.run(
        [kiwix_tool("zimcheck"), "-A", str(packs[f"terrain-{VERSION}.zim"])],
        capture_output=True,
        text=True,
        timeout=120,
    )
    report = result.stdout[-5000:] + result.stderr[-1000:]
    # No finding at all: the Downloads page's links to the packs are plain text in the ZIM.
    assert [line for line in result.stdout.splitlines() if line.startswith(("[ERROR]", "[WARNING]"))] == [], report
    assert result.returncode == 0 and "Overall Test Status: Pass" in result.stdout, report


@pytest.mark.slow
def test_the_packs_say_where_packs_are_found_and_the_site_links_them(packs, site_copy, project):
    """In every language: the packed Downloads page names no pack file and says where they are;
    the site's own Downloads page (filled in by `terrain pack`) links each one, and it is there."""
    inside = entries(packs[f"terrain-{VERSION}-all.zip"])
    for lang in project.languages:
        name = "downloads.html" if lang == project.default_language else f"{lang}/downloads.html"
        packed = inside[name].decode("utf-8")
        assert "downloads/packs/" not in packed and f"terrain-{VERSION}.zim" not in packed, lang
        assert html.escape(project.text(lang, "labels", "packs_offline")) in packed, lang
        online = (site_copy / name).read_text(encoding="utf-8")
        for file in (f"terrain-{VERSION}-all.zip", f"terrain-{VERSION}.zim", "SHA256SUMS"):
            link = ("" if lang == project.default_language else "../") + f"downloads/packs/{file}"
            assert f'href="{link}"' in online, (lang, file)
            assert (site_copy / "downloads" / "packs" / file).is_file()


@pytest.fixture
def kiwix_serve(packs, tmp_path):
    """kiwix-serve of the pack's ZIM on 127.0.0.1 at a free port; yields (base URL, book name); stopped after."""
    import subprocess
    import time
    import urllib.request

    zim = packs[f"terrain-{VERSION}.zim"]
    port = free_port()
    log = (tmp_path / "kiwix-serve.log").open("wb")
    server = subprocess.Popen(
        [kiwix_tool("kiwix-serve"), "--address=127.0.0.1", f"--port={port}", str(zim)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):  # at most 10 s to start listening
            if server.poll() is not None:
                pytest.fail(
                    f"kiwix-serve stopped: {(tmp_path / 'kiwix-serve.log').read_text(errors='replace')[-2000:]}"
                )
            try:
                urllib.request.urlopen(base + "/", timeout=2).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("kiwix-serve did not answer within 10 s")
        yield base, zim.stem
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def fetch(url: str) -> tuple[int, str]:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read(2_000_000).decode("utf-8", errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, ""


@pytest.mark.slow
def test_kiwix_serve_shows_every_language_and_finds_its_words(kiwix_serve, project):
    """Debian 12's kiwix-serve (libzim 8) opens each language's share page and its search finds it.

    The query is a word of the page's title without accents: libzim 8 readers do not fold the
    accents of a query (docs/share.*.md says so to facilitators).
    """
    import re
    import urllib.parse

    from terrain.site import fold

    base, book = kiwix_serve
    for lang in project.languages:
        prefix = "" if lang == project.default_language else f"{lang}/"
        status, page = fetch(f"{base}/{book}/{prefix}share.html")
        assert status == 200, f"{prefix}share.html: HTTP {status}"
        title = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
        assert title, f"{prefix}share.html has no heading"
        word = max(re.findall(r"\w+", fold(re.sub(r"<[^>]+>", "", title.group(1)))), key=len)
        status, results = fetch(f"{base}/search?content={book}&pattern={urllib.parse.quote(word)}")
        assert status == 200
        found = re.findall(rf'href="/{re.escape(book)}/([^"]+\.html)"', results)
        assert f"{prefix}share.html" in found, (lang, word, found)


def test_the_zim_description_takes_no_draft_home_page(project_copy):
    """A language in progress (`terrain i18n new qa`: its home page a draft, in English) adds no
    paragraph to the ZIM's LongDescription: the description never shows the default language's
    text as another language's, nor the same summary twice."""
    from terrain.checks import is_draft
    from terrain.project import Project, site_languages

    from conftest import terrain

    if "qa" not in site_languages(project_copy):  # a scratch clone may have it configured already
        result = terrain(project_copy, "i18n", "new", "qa", "--name", "Testlang")
        assert result.returncode == 0, result.stderr
    project = Project.load(project_copy)
    home = project.docs["index.md"]
    assert "qa" in project.languages and is_draft(home["qa"]) and home["qa"].meta.get("summary")
    described = [lang for lang in project.languages if lang == project.default_language or not is_draft(home[lang])]
    long = str(pack.zim_metadata(project, project.languages)["LongDescription"])
    paragraphs = long.split("\n\n")
    assert paragraphs == [str(home[lang].meta["summary"]).strip() for lang in described], long
    assert len(set(paragraphs)) == len(paragraphs), f"a summary appears twice:\n{long}"


def test_a_download_is_written_whole_or_not_at_all(tmp_path, monkeypatch):
    """The print edition's PDFs and DOCX are written to NAME.part, then renamed: a print stopped
    half-way (Ctrl-C, a full disk) leaves the last good file, never half a PDF that the next site
    build would publish."""
    from terrain.pack import write_whole

    pdf = tmp_path / "sheet.pdf"
    write_whole(pdf, b"%PDF-old")
    assert pdf.read_bytes() == b"%PDF-old"

    def half_then_stop(self, data):
        with open(self, "wb") as handle:
            handle.write(data[:3])
        raise KeyboardInterrupt

    monkeypatch.setattr(Path, "write_bytes", half_then_stop)
    with pytest.raises(KeyboardInterrupt):
        write_whole(pdf, b"%PDF-new")
    monkeypatch.undo()
    assert pdf.read_bytes() == b"%PDF-old" and sorted(p.name for p in tmp_path.iterdir()) == ["sheet.pdf"]
    write_whole(pdf, b"%PDF-new")
    assert pdf.read_bytes() == b"%PDF-new"


def test_a_half_written_page_left_by_a_power_cut_is_never_packed(tiny_site):
    """`terrain pack` redraws the site's Downloads pages with write_whole: NAME.part, then a rename.
    A power cut between the two leaves the .part in site/, half a page; the next `terrain pack`
    zipped it into every pack (found by the hostile review). A .part is never published."""
    (tiny_site / "fr" / "downloads.html.part").write_text("<title>half", encoding="utf-8")
    (tiny_site / "downloads" / "fr" / "books" / "handbook.pdf.part").write_bytes(b"%PDF-1.7 half")
    for lang in (None, "en", "fr"):
        files = pack.pack_files(tiny_site, lang, ["en", "fr"], "en")
        assert files and not [name for name in files if name.endswith(".part")], files
