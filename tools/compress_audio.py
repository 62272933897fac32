"""Re-encode the WAV audio players stored in notebook outputs as MP3, in place, without running any cell.

    python tools/compress_audio.py nbs/*.ipynb

`play()` embeds MP3 now; this converts outputs stored before (also those of `#| slow` cells, which the tests never
rerun). The sound and its sample rate stay as they were; each file's size before and after is printed."""
import base64, io, json, re, sys
from pathlib import Path

import soundfile

from pianodiff.roll import encode_audio

WAV = re.compile(r'data:audio/(?:wav|x-wav);base64,([A-Za-z0-9+/=\s\\n]+?)"(\s*type="audio/(?:wav|x-wav)")?')


def to_mp3(match: re.Match) -> str:
    audio, rate = soundfile.read(io.BytesIO(base64.b64decode(re.sub(r'\s|\\n', '', match.group(1)))), dtype='float32')
    data, mime = encode_audio(audio if audio.ndim == 1 else audio.mean(axis=1), rate, 'mp3')
    return f'data:{mime};base64,{base64.b64encode(data).decode()}"' + (f' type="{mime}"' if match.group(2) else '')


def compress(path: Path) -> tuple[int, int]:
    text = path.read_text()
    nb, count = json.loads(text), 0
    for cell in nb['cells']:
        for out in cell.get('outputs', []):
            html = out.get('data', {}).get('text/html')
            if html is None: continue
            joined = ''.join(html) if isinstance(html, list) else html
            new, n = WAV.subn(to_mp3, joined)
            if n: out['data']['text/html'] = new.splitlines(keepends=True); count += n
    if count: path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + '\n')
    return count, len(text.encode())


if __name__ == '__main__':
    for name in sys.argv[1:]:
        p = Path(name)
        n, before = compress(p)
        print(f'{p}: {n} players re-encoded, {before / 1e6:.2f} MB -> {p.stat().st_size / 1e6:.2f} MB')
