import hashlib
import http.server
import tarfile
import threading
import warnings

import numpy as np
import pytest
from sklearn.datasets._base import RemoteFileMetadata

from sklearn_imdb import fetch_imdb
from sklearn_imdb.datasets import ARCHIVE_ENV
from sklearn_imdb.datasets import _imdb as datasets
from sklearn_imdb.datasets._imdb import CACHE_NAME

from ..conftest import README, synthetic_reviews, write_archive


def test_tiny_archive_loads_in_official_order(tiny_archive, data_home):
    train = fetch_imdb(subset="train", data_home=data_home)
    assert train.data == [
        "Dull and boring. I didn't like it.",
        "The worst film ever, a boring waste.",
        "A wonderful film.<br /><br />Great acting, great story!",
        "I liked it; the cast is great.",
    ]
    np.testing.assert_array_equal(train.target, [0, 0, 1, 1])
    np.testing.assert_array_equal(train.rating, [2, 1, 9, 7])
    np.testing.assert_array_equal(train.review_id, [0, 10, 0, 1])
    assert train.target_names == ["neg", "pos"]
    # the dataset's README, then where this copy came from
    sha = hashlib.sha256(tiny_archive.read_bytes()).hexdigest()
    assert train.DESCR.startswith(README.decode())
    assert f"the archive {tiny_archive.resolve()}, SHA-256 {sha}" in train.DESCR
    test = fetch_imdb(subset="test", data_home=data_home)
    assert test.data == ["Boring plot and a dull cast.", "Great, wonderful, moving."]
    both = fetch_imdb(subset="all", data_home=data_home)
    assert both.data == train.data + test.data


def test_second_call_reads_the_cache(tiny_archive, data_home, monkeypatch):
    first = fetch_imdb(data_home=data_home)
    assert (data_home / "imdb" / CACHE_NAME).is_file()
    monkeypatch.delenv(ARCHIVE_ENV)
    tiny_archive.unlink()
    again = fetch_imdb(data_home=data_home, download_if_missing=False)
    assert again.data == first.data


def test_return_X_y_as_frame_and_shuffle(tiny_archive, data_home):
    X, y = fetch_imdb(data_home=data_home, return_X_y=True)
    assert len(X) == len(y) == 4
    bunch = fetch_imdb(data_home=data_home, as_frame=True)
    assert list(bunch.frame.columns) == [
        "review",
        "target",
        "rating",
        "review_id",
        "movie",
    ]
    assert bunch.data.tolist() == X and bunch.target.tolist() == y.tolist()
    a = fetch_imdb(data_home=data_home, shuffle=True, random_state=3)
    b = fetch_imdb(data_home=data_home, shuffle=True, random_state=3)
    assert a.data == b.data and sorted(a.data) == sorted(X)
    # each review keeps its own label and rating
    for text, target, rating in zip(a.data, a.target, a.rating):
        assert (rating >= 7) == bool(target) and text in X


def test_extracted_directory(tmp_path, data_home, monkeypatch):
    root = tmp_path / "extracted"
    with tarfile.open(write_archive(tmp_path / "a.tar.gz")) as tar:
        tar.extractall(root, filter="data")
    monkeypatch.setenv(ARCHIVE_ENV, str(root / "aclImdb"))
    train = fetch_imdb(data_home=data_home)
    assert len(train.data) == 4 and train.DESCR.startswith(README.decode())
    assert "the extracted folder" in train.DESCR


def _file(name, text):
    info = tarfile.TarInfo(name)
    info.size = len(text)
    return info, text


URLS = {
    # line k: review k's movie; review pos/1 has a line without a title
    "train/urls_pos.txt": b"http://www.imdb.com/title/tt0453418/usercomments\nnone\n",
    "train/urls_neg.txt": b"\n".join(
        b"http://www.imdb.com/title/tt%07d/usercomments" % (100 + k) for k in range(11)
    ),
}


@pytest.mark.parametrize("layout", ["archive", "folder"])
def test_each_review_knows_its_movie(layout, tmp_path, data_home, monkeypatch):
    # the urls files come after the reviews in the archive; the test split has
    # none (a partial archive): its movies are unknown
    extra = [_file(f"aclImdb/{name}", text) for name, text in URLS.items()]
    path = write_archive(tmp_path / "a.tar.gz", extra=extra)
    if layout == "folder":
        with tarfile.open(path) as tar:
            tar.extractall(tmp_path / "x", filter="data")
        path = tmp_path / "x" / "aclImdb"
    monkeypatch.setenv(ARCHIVE_ENV, str(path))
    train = fetch_imdb(data_home=data_home)
    # neg 0, neg 10, pos 0, pos 1
    np.testing.assert_array_equal(train.movie, [100, 110, 453418, -1])
    test = fetch_imdb(subset="test", data_home=data_home)
    np.testing.assert_array_equal(test.movie, -1)
    frame = fetch_imdb(data_home=data_home, as_frame=True, shuffle=True).frame
    assert set(zip(frame.review_id, frame.movie)) == {
        (0, 100),
        (10, 110),
        (0, 453418),
        (1, -1),
    }


def test_no_source_and_no_download(data_home, monkeypatch):
    monkeypatch.delenv(ARCHIVE_ENV, raising=False)
    with pytest.raises(OSError, match=f"{ARCHIVE_ENV}.*|.*aclImdb_v1.tar.gz"):
        fetch_imdb(data_home=data_home, download_if_missing=False)


@pytest.mark.parametrize("subset", ["validation", None, "TRAIN"])
def test_bad_subset(subset, data_home):
    with pytest.raises(ValueError, match="subset must be"):
        fetch_imdb(subset=subset, data_home=data_home)


def test_data_home_that_is_a_file(tmp_path):
    (tmp_path / "imdb").write_text("not a folder")
    with pytest.raises((ValueError, OSError), match="imdb"):
        fetch_imdb(data_home=tmp_path)


def test_archive_env_naming_nothing(data_home, monkeypatch, tmp_path):
    monkeypatch.setenv(ARCHIVE_ENV, str(tmp_path / "missing.tar.gz"))
    with pytest.raises(OSError, match="names no file"):
        fetch_imdb(data_home=data_home)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty"])
def test_damaged_archive_is_refused_and_nothing_cached(
    damage, tmp_path, data_home, monkeypatch
):
    good = write_archive(tmp_path / "good.tar.gz").read_bytes()
    bad = tmp_path / "bad.tar.gz"
    bad.write_bytes(
        {
            "garbage": b"no archive" * 100,
            "truncated": good[: len(good) // 2],
            "empty": b"",
        }[damage]
    )
    monkeypatch.setenv(ARCHIVE_ENV, str(bad))
    with pytest.raises(ValueError, match="bad.tar.gz"):
        fetch_imdb(data_home=data_home)
    assert list((data_home / "imdb").iterdir()) == []
    monkeypatch.setenv(ARCHIVE_ENV, str(tmp_path / "good.tar.gz"))
    assert len(fetch_imdb(data_home=data_home).data) == 4


def test_archive_without_reviews(tmp_path, data_home, monkeypatch):
    monkeypatch.setenv(ARCHIVE_ENV, str(write_archive(tmp_path / "x.tar.gz", [])))
    with pytest.raises(ValueError, match="holds no train reviews"):
        fetch_imdb(data_home=data_home)


def test_unsafe_members_are_never_read(tmp_path, data_home, monkeypatch):
    def info(name, kind=tarfile.REGTYPE, size=0, link=""):
        member = tarfile.TarInfo(name)
        member.type, member.size, member.linkname = kind, size, link
        return member

    evil = b"evil review"
    extra = [
        (info("/etc/aclImdb/train/pos/99_9.txt", size=len(evil)), evil),
        (info("aclImdb/train/pos/../../../escape_9.txt", size=len(evil)), evil),
        (info("aclImdb/train/pos/98_9.txt", tarfile.SYMTYPE, link="/etc/passwd"), None),
        (
            info("aclImdb/train/pos/97_9.txt", tarfile.LNKTYPE, link="aclImdb/README"),
            None,
        ),
        (info("aclImdb/train/pos/96_9.txt", tarfile.CHRTYPE), None),
        (info("aclImdb/train/unsup/5_0.txt", size=len(evil)), evil),
    ]
    path = write_archive(tmp_path / "evil.tar.gz", extra=extra)
    monkeypatch.setenv(ARCHIVE_ENV, str(path))
    before = sorted(p.name for p in tmp_path.iterdir())
    train = fetch_imdb(data_home=data_home)
    assert len(train.data) == 4 and "evil review" not in train.data
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert [p.name for p in (data_home / "imdb").iterdir()] == [CACHE_NAME]


def test_interrupted_cache_write_leaves_nothing(tiny_archive, data_home, monkeypatch):
    def fail(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(np, "savez", fail)
    with pytest.raises(KeyboardInterrupt):
        fetch_imdb(data_home=data_home)
    assert list((data_home / "imdb").iterdir()) == []


def test_corrupt_cache_is_rebuilt(tiny_archive, data_home):
    fetch_imdb(data_home=data_home)
    cache = data_home / "imdb" / CACHE_NAME
    cache.write_bytes(cache.read_bytes()[:100])
    assert len(fetch_imdb(data_home=data_home).data) == 4


# -- downloads from a local HTTP server --------------------------------------


class _Server(http.server.ThreadingHTTPServer):
    payload = b""
    truncate = False


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (the stdlib's name)
        payload = self.server.payload
        self.send_response(200)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.server.truncate:
            self.wfile.write(payload[: len(payload) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def server(tmp_path, monkeypatch):
    payload = write_archive(tmp_path / "served.tar.gz").read_bytes()
    httpd = _Server(("127.0.0.1", 0), _Handler)
    httpd.payload = payload
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    monkeypatch.delenv(ARCHIVE_ENV, raising=False)
    url = f"http://127.0.0.1:{httpd.server_address[1]}/aclImdb_v1.tar.gz"

    def serve(checksum=None, truncate=False):
        httpd.truncate = truncate
        checksum = checksum or hashlib.sha256(payload).hexdigest()
        monkeypatch.setattr(
            datasets,
            "ARCHIVE",
            RemoteFileMetadata("aclImdb_v1.tar.gz", url, checksum),
        )
        monkeypatch.setattr(datasets, "ARCHIVE_SIZE", len(payload))

    yield serve
    httpd.shutdown()
    httpd.server_close()


def test_download_with_good_checksum(server, data_home, caplog):
    server()
    with caplog.at_level("INFO", logger="sklearn_imdb.datasets"):
        train = fetch_imdb(data_home=data_home, delay=0)
    assert len(train.data) == 4
    assert "Downloading" in caplog.text
    # the archive is not kept: the cache holds what is used of it
    assert [p.name for p in (data_home / "imdb").iterdir()] == [CACHE_NAME]


@pytest.mark.parametrize("case", ["wrong checksum", "closed mid-file"])
def test_failed_download_caches_nothing(case, server, data_home, caplog):
    if case == "wrong checksum":
        server(checksum="0" * 64)
    else:
        server(truncate=True)
    # the retries are logged: the one thing the user sees is what to do
    with warnings.catch_warnings(), caplog.at_level("INFO"):
        warnings.simplefilter("error")
        with pytest.raises(OSError, match=f"Could not download.*set {ARCHIVE_ENV}"):
            fetch_imdb(data_home=data_home, n_retries=1, delay=0)
    assert list((data_home / "imdb").iterdir()) == []
    if case == "closed mid-file":
        assert "Retry downloading" in caplog.text


# -- the real dataset ---------------------------------------------------------


def test_real_dataset(imdb):
    for split in imdb:
        assert len(split.data) == 25_000
        assert split.target.sum() == 12_500
        assert set(split.rating[split.target == 0]) == {1, 2, 3, 4}
        assert set(split.rating[split.target == 1]) == {7, 8, 9, 10}
        assert all(isinstance(text, str) and text for text in split.data[:100])
        assert split.movie.min() > 0 and np.bincount(split.movie).max() <= 30
    train, test = imdb
    # the splits were made by movie: 3,456 and 3,581 movies, one in both
    assert len(set(train.movie) & set(test.movie)) == 1


def test_the_users_archive_survives_in_data_home(tmp_path, data_home, monkeypatch):
    # the user's own copy, where a download would have gone
    home = data_home / "imdb"
    home.mkdir()
    archive = write_archive(home / "aclImdb_v1.tar.gz")
    content = archive.read_bytes()
    monkeypatch.setenv(ARCHIVE_ENV, str(archive))
    for _ in range(2):
        assert len(fetch_imdb(data_home=data_home).data) == 4
        assert archive.read_bytes() == content


def test_the_cache_follows_the_configured_source(tmp_path, data_home, monkeypatch):
    small = write_archive(tmp_path / "small.tar.gz")  # 4 + 2 reviews
    folder = tmp_path / "more"
    for split, label, i, rating, text in synthetic_reviews(5, "train") + (
        synthetic_reviews(3, "test", seed=1)
    ):
        path = folder / "aclImdb" / split / label / f"{i}_{rating}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    monkeypatch.setenv(ARCHIVE_ENV, str(small))
    first = fetch_imdb(data_home=data_home)
    assert len(first.data) == 4 and str(small) in first.DESCR
    monkeypatch.setenv(ARCHIVE_ENV, str(folder))
    second = fetch_imdb(data_home=data_home)
    assert len(second.data) == 10 and "extracted folder" in second.DESCR
    # a review added to the folder: the cache is rebuilt again
    extra = folder / "aclImdb" / "train" / "pos" / "99_9.txt"
    extra.write_text("A late, wonderful addition.")
    assert len(fetch_imdb(data_home=data_home).data) == 11
    monkeypatch.setenv(ARCHIVE_ENV, str(small))
    assert len(fetch_imdb(data_home=data_home).data) == 4
    # no source configured: the cache is used as it is
    monkeypatch.delenv(ARCHIVE_ENV)
    assert len(fetch_imdb(data_home=data_home, download_if_missing=False).data) == 4
