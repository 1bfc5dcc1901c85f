#!/usr/bin/env python3
"""Training speed of our trainer and of the PyTorch reference, side by side in one run.

Alternates `./tagger bench train --preset P --json` with the reference's
`pytorch_tagger.py train --preset P` (one epoch each), so both see the same machine load,
and prints the median sentences/s of each and their ratio as one JSON object per preset.

Needs Debian's python3-torch (see ../shared/reference/README.md); the reference script is
looked for in $TAGGER_REFERENCE or ../shared/reference next to the repository.

    scripts/compare_train_speed.py --preset seed --preset seed-char --repeats 3
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REFERENCE = os.environ.get(
    'TAGGER_REFERENCE', os.path.join(ROOT, '..', 'shared', 'reference', 'pytorch_tagger.py'))


def ours(preset, threads, limit):
    cmd = [os.path.join(ROOT, 'tagger'), 'bench', 'train', '--preset', preset, '--json',
           '--threads', str(threads)]
    if limit:
        cmd += ['--limit', str(limit)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    r = json.loads(out.strip().splitlines()[-1])
    return r['sentences_per_s'], r


def reference(preset, threads, limit):
    with tempfile.TemporaryDirectory() as out:
        cmd = ['/usr/bin/python3', REFERENCE, 'train', '--preset', preset, '--threads',
               str(threads), '--epochs', '1', '--out', out]
        if preset == 'ewt':
            cmd += ['--speed-only']
        if limit:
            cmd += ['--limit', str(limit)]
        env = dict(os.environ, OPENBLAS_NUM_THREADS='1')
        log = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout
    epoch = [json.loads(l) for l in log.splitlines() if l.startswith('{"epoch"')][0]
    return epoch['sents_per_s'], epoch


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--preset', action='append', required=True)
    ap.add_argument('--repeats', type=int, default=3)
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--limit', type=int, default=0)
    args = ap.parse_args()
    if not os.path.exists(REFERENCE):
        sys.exit('reference not found: %s (set TAGGER_REFERENCE)' % REFERENCE)
    for preset in args.preset:
        java, torch = [], []
        for i in range(args.repeats):
            java.append(ours(preset, args.threads, args.limit)[0])
            torch.append(reference(preset, args.threads, args.limit)[0])
            print('%s run %d: java %.0f sent/s, pytorch %.0f sent/s'
                  % (preset, i + 1, java[-1], torch[-1]), file=sys.stderr, flush=True)
        mj, mt = statistics.median(java), statistics.median(torch)
        print(json.dumps(dict(preset=preset, threads=args.threads, limit=args.limit,
                              repeats=args.repeats, java_sentences_per_s=java,
                              pytorch_sentences_per_s=torch, java_median=mj,
                              pytorch_median=mt, ratio=mj / mt)), flush=True)


if __name__ == '__main__':
    main()
