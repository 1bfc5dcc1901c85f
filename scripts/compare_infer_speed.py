#!/usr/bin/env python3
"""Inference speed of ONNX Runtime / the Java forward pass and of the PyTorch reference, in one run.

Runs `./tagger bench infer --json` and the reference's `pytorch_tagger.py infer --random-init`
(same model size, EWT test, batch 1 and 64, 1 and 2 threads) alternately, --repeats times each,
and prints one JSON object: per (engine, batch, threads) the median tokens/s, and the ratio of
ONNX Runtime to PyTorch.

    scripts/compare_infer_speed.py --repeats 2
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


def ours(extra):
    out = subprocess.run([os.path.join(ROOT, 'tagger'), 'bench', 'infer', '--json'] + extra,
                         check=True, capture_output=True, text=True).stdout
    r = json.loads(out.strip().splitlines()[-1])
    return {(x['engine'], x['batch'], x['threads']): x['tokens_per_s'] for x in r['results']}


def reference():
    with tempfile.TemporaryDirectory() as out:
        env = dict(os.environ, OPENBLAS_NUM_THREADS='1')
        subprocess.run(['/usr/bin/python3', REFERENCE, 'infer', '--random-init', '--out', out],
                       check=True, capture_output=True, text=True, env=env)
        r = json.load(open(os.path.join(out, 'results-infer.json')))
    return {('pytorch', x['batch'], x['threads']): x['model_only_tokens_per_s_median']
            for x in r['results']}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--repeats', type=int, default=2)
    ap.add_argument('--model', help='ONNX model for our side (default: the bundled one); use an'
                    ' export of the ewt preset to compare the same model size')
    ap.add_argument('--checkpoint', help='checkpoint for the Java engine (default: shipped)')
    args = ap.parse_args()
    extra = []
    if args.model:
        extra += ['--model', args.model]
    if args.checkpoint:
        extra += ['--checkpoint', args.checkpoint]
    runs = {}
    for i in range(args.repeats):
        for source in (lambda: ours(extra), reference):
            for key, value in source().items():
                runs.setdefault(key, []).append(value)
            print('run %d: one side done' % (i + 1), file=sys.stderr, flush=True)
    medians = {k: statistics.median(v) for k, v in runs.items()}
    results = [dict(engine=k[0], batch=k[1], threads=k[2], tokens_per_s=v, runs=runs[k])
               for k, v in sorted(medians.items())]
    ratios = {}
    for (engine, batch, threads), v in medians.items():
        if engine == 'onnx' and ('pytorch', batch, threads) in medians:
            ratios['onnx/pytorch batch %d threads %d' % (batch, threads)] = \
                v / medians[('pytorch', batch, threads)]
    print(json.dumps(dict(repeats=args.repeats, results=results, ratios=ratios)))


if __name__ == '__main__':
    main()
