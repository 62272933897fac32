"""`download_maestro` offline: a MAESTRO-layout archive served from loopback (HTTP with Range support),
resumed after a broken connection, and refused when its checksum, a member's CRC or a member's path is wrong."""
import hashlib, http.server, threading, zipfile
from pathlib import Path

import pytest

from pianodiff.data import DatasetError, chorale_corpus, download_maestro, load_maestro, maestro_archive


class _Handler(http.server.BaseHTTPRequestHandler):
    "Serves `server.payload`, honouring `Range: bytes=N-`; `server.cut` bytes into a full response, drops the connection."
    def do_GET(self):
        data, start = self.server.payload, 0
        rng = self.headers.get('Range')
        self.server.ranges.append(rng)
        if rng:
            start = int(rng.split('=')[1].split('-')[0])
            if start >= len(data):
                self.send_response(416); self.end_headers(); return
            self.send_response(206)
            self.send_header('Content-Range', f'bytes {start}-{len(data) - 1}/{len(data)}')
        else:
            self.send_response(200)
        body = data[start:]
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        if self.server.cut is not None and not rng:
            self.wfile.write(body[:self.server.cut]); self.wfile.flush()
            self.connection.shutdown(2)  # the connection breaks mid-transfer
            return
        self.wfile.write(body)

    def log_message(self, *args): pass


@pytest.fixture(scope='module')
def archive(tmp_path_factory):
    path = tmp_path_factory.mktemp('src') / 'maestro-v3.0.0-midi.zip'
    return maestro_archive(chorale_corpus(limit=24, progress=False), path)


@pytest.fixture
def server(archive):
    srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), _Handler)
    srv.payload, srv.cut, srv.ranges = archive.read_bytes(), None, []
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    srv.url = f'http://127.0.0.1:{srv.server_address[1]}/maestro-v3.0.0-midi.zip'
    yield srv
    srv.shutdown(); srv.server_close()


def test_download_verify_extract(server, archive, tmp_path):
    sha = hashlib.sha256(archive.read_bytes()).hexdigest()
    root = download_maestro(tmp_path, url=server.url, sha256=sha, progress=False)
    assert root == tmp_path / 'maestro-v3.0.0' and (root / 'maestro-v3.0.0.csv').is_file()
    assert len(load_maestro(root, 'all', 'default', progress=False, cache=False).pieces) > 20
    assert not list(tmp_path.glob('.maestro-extract-*'))  # no temporary folder left


def test_broken_connection_then_resume(server, archive, tmp_path):
    server.cut = len(server.payload) // 3
    with pytest.raises(DatasetError, match='run download_maestro again to resume|Run download_maestro again to resume'):
        download_maestro(tmp_path, url=server.url, progress=False)
    part = tmp_path / 'maestro-v3.0.0-midi.zip.part'
    assert part.exists() and 0 < part.stat().st_size < len(server.payload)
    assert not (tmp_path / 'maestro-v3.0.0').exists()  # nothing half-extracted
    have = part.stat().st_size
    server.cut = None
    root = download_maestro(tmp_path, url=server.url, progress=False)
    assert server.ranges[-1] == f'bytes={have}-'  # only the rest was asked for
    assert (tmp_path / 'maestro-v3.0.0-midi.zip').read_bytes() == archive.read_bytes()
    assert (root / 'maestro-v3.0.0.csv').is_file()


def test_wrong_checksum(server, tmp_path):
    with pytest.raises(DatasetError, match='SHA-256'):
        download_maestro(tmp_path, url=server.url, sha256='0' * 64, progress=False)
    assert not (tmp_path / 'maestro-v3.0.0').exists()
    assert (tmp_path / 'maestro-v3.0.0-midi.zip.bad').exists()


def test_corrupt_member(archive, tmp_path):
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as zf:
        info = zf.infolist()[1]
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + 5] ^= 0xFF  # flip a byte inside the compressed data of one MIDI file
    bad = tmp_path / 'maestro-v3.0.0-midi.zip'
    bad.write_bytes(bytes(data))
    with pytest.raises(DatasetError, match='corrupt'):
        download_maestro(tmp_path, url=bad.as_uri(), progress=False)
    assert not (tmp_path / 'maestro-v3.0.0').exists() and not list(tmp_path.glob('.maestro-extract-*'))


@pytest.mark.parametrize('evil', ['../escaped.txt', '/tmp/absolute.txt', 'maestro-v3.0.0/../../up.txt'])
def test_member_escaping_the_folder(tmp_path, evil):
    src = tmp_path / 'src'; src.mkdir()
    zpath = src / 'maestro-v3.0.0-midi.zip'
    with zipfile.ZipFile(zpath, 'w') as zf:
        zf.writestr('maestro-v3.0.0/maestro-v3.0.0.csv', 'canonical_composer,canonical_title,split,midi_filename\n')
        zf.writestr(evil, 'gotcha')
    dest = tmp_path / 'dest'
    with pytest.raises(DatasetError, match='outside the destination'):
        download_maestro(dest, url=zpath.as_uri(), progress=False)
    assert not (tmp_path / 'escaped.txt').exists() and not (tmp_path / 'up.txt').exists()
    assert not Path('/tmp/absolute.txt').exists()
    assert not (dest / 'maestro-v3.0.0').exists()


def test_missing_midi_named_in_csv(archive, tmp_path):
    slim = tmp_path / 'maestro-v3.0.0-midi.zip'
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(slim, 'w') as dst:
        for i, m in enumerate(src.infolist()):
            if i != 2: dst.writestr(m, src.read(m))   # drop one MIDI file the CSV names
    with pytest.raises(DatasetError, match='not in the archive'):
        download_maestro(tmp_path / 'd', url=slim.as_uri(), progress=False)
    assert not (tmp_path / 'd' / 'maestro-v3.0.0').exists()


def test_leftover_folder_is_named_and_stale_temp_removed(archive, tmp_path):
    (tmp_path / 'maestro-v3.0.0').mkdir()            # a partial manual unzip
    stale = tmp_path / '.maestro-extract-killed'; stale.mkdir()   # from a run killed mid-extraction
    with pytest.raises(DatasetError, match='left over from an incomplete extraction'):
        download_maestro(tmp_path, url=archive.as_uri(), progress=False)
    (tmp_path / 'maestro-v3.0.0').rmdir()
    root = download_maestro(tmp_path, url=archive.as_uri(), progress=False)
    assert (root / 'maestro-v3.0.0.csv').is_file() and not stale.exists()
