"""The offline packs: what each zip holds and leaves out, checksums, reproducibility, the ZIM file."""
from __future__ import annotations

import hashlib
import shutil
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from terrain import pack

VERSION = "0.1.0"


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
def test_every_pack_is_written(packs):
    assert sorted(packs) == sorted([f"terrain-{VERSION}-en.zip", f"terrain-{VERSION}-fr.zip", f"terrain-{VERSION}-all.zip", f"terrain-{VERSION}.zim", "SHA256SUMS"])


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
def test_the_english_zip_holds_english_pages_only(packs):
    entries = names(packs[f"terrain-{VERSION}-en.zip"])
    assert "index.html" in entries and "search/search_index.json" in entries
    assert not [name for name in entries if name.startswith(("fr/", "downloads/fr/"))]


@pytest.mark.slow
def test_the_all_zip_holds_both_languages(packs):
    entries = names(packs[f"terrain-{VERSION}-all.zip"])
    for name in ("index.html", "fr/index.html", "search/search_index.json", "fr/search/search_index.json"):
        assert name in entries
    assert not [name for name in entries if name.endswith(".map") or name.startswith("downloads/packs/")]


@pytest.mark.slow
def test_sha256sums_matches_every_file(packs):
    lines = packs["SHA256SUMS"].read_text(encoding="utf-8").splitlines()
    listed = dict(reversed(line.split("  ", 1)) for line in lines)
    assert sorted(listed) == sorted(name for name in packs if name != "SHA256SUMS")
    for name, digest in listed.items():
        assert hashlib.sha256(packs[name].read_bytes()).hexdigest() == digest


@pytest.mark.slow
def test_packing_twice_gives_byte_identical_zips(project, site_copy, packs, tmp_path):
    again = {path.name: path for path in pack.build_packs(project, site_copy, tmp_path)}
    for name in packs:
        if name.endswith(".zip"):
            assert again[name].read_bytes() == packs[name].read_bytes(), name


@pytest.mark.slow
def test_the_zim_opens_with_its_metadata_main_page_and_french_search(packs):
    from libzim.reader import Archive
    from libzim.search import Query, Searcher

    archive = Archive(packs[f"terrain-{VERSION}.zim"])
    assert archive.get_metadata("Title") == b"Terrain"
    assert archive.get_metadata("Language") == b"eng,fra"
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
        "index.html", "404.html", "sitemap.xml", "sitemap.xml.gz", "search/search_index.json",
        "fr/index.html", "fr/search/search_index.json", "assets/stylesheets/main.css", "assets/stylesheets/main.css.map",
        "assets/javascripts/lunr/min/lunr.fr.min.js", "assets/javascripts/lunr/min/lunr.de.min.js",
        "assets/javascripts/lunr/min/lunr.stemmer.support.min.js", "assets/javascripts/lunr/tinyseg.js",
        "downloads/en/books/handbook.pdf", "downloads/fr/books/handbook.pdf", "downloads/packs/terrain-0.0.1-all.zip",
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
    kept_lunr = ["assets/javascripts/lunr/min/lunr.fr.min.js", "assets/javascripts/lunr/min/lunr.stemmer.support.min.js"]
    assert en == ["404.html", "assets/javascripts/lunr/min/lunr.fr.min.js", "assets/javascripts/lunr/min/lunr.stemmer.support.min.js",
                  "assets/stylesheets/main.css", "downloads/en/books/handbook.pdf", "index.html", "search/search_index.json", "sitemap.xml"]
    assert fr == [*kept_lunr, "assets/stylesheets/main.css", "downloads/fr/books/handbook.pdf", "fr/index.html", "fr/search/search_index.json"]
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


def test_the_illustration_is_a_48_pixel_png_in_two_colours():
    data = pack.illustration(48)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (48, 48)
    idat = data.index(b"IDAT")
    size = struct.unpack(">I", data[idat - 4:idat])[0]
    pixels = zlib.decompress(data[idat + 4:idat + 4 + size])
    assert len(pixels) == 48 * (1 + 48 * 3)
    colours = {pixels[i:i + 3] for row in range(48) for i in range(row * 145 + 1, row * 145 + 145, 3)}
    assert colours == {bytes(pack.BROWN), bytes(pack.WHITE)}


def test_each_readme_speaks_its_language():
    names_ = {"en": "English", "fr": "Français"}
    assert "Unzip" in pack.readme("en", names_, "en", "terrain-x-en", "x")
    french = pack.readme("fr", names_, "en", "terrain-x-fr", "x")
    assert "Décompressez" in french and "fr/index.html" in french
    both = pack.readme(None, names_, "en", "terrain-x-all", "x")
    assert "Unzip" in both and "Décompressez" in both
    assert "Unzip" in pack.readme("pt", {**names_, "pt": "Português"}, "en", "terrain-x-pt", "x")  # no strings yet: English
