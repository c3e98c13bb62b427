#!/usr/bin/env python3
"""Entity-level precision/recall of alerts against a `telcobench generate` truth folder (offline tuning aid).

usage: score-alerts.py <truth dir> <alerts.jsonl | batch results.json | run folder alerts dump>
An alert (kind, entity) is a hit when the truth has a fraud label of that kind on that entity (subscriber or
number), or an anomaly of that kind on that cell. Hard negatives (fraud: false) that alert are listed.
"""
import collections
import json
import sys


def load_alerts(path):
    with open(path) as f:
        text = f.read().strip()
    if text.startswith('{') and '\n' not in text:
        doc = json.loads(text)
        if 'alerts' in doc:
            return doc['alerts']
        return [doc]
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def main():
    truth_dir, alerts_path = sys.argv[1], sys.argv[2]
    labels = [json.loads(line) for line in open(f'{truth_dir}/label.jsonl')]
    anomalies = [json.loads(line) for line in open(f'{truth_dir}/anomaly.jsonl')]
    positives = collections.defaultdict(set)
    negatives = {}
    for l in labels:
        if l['fraud']:
            positives[l['kind']].add(l['entity'])
        else:
            negatives[l['entity']] = l['kind']
    for a in anomalies:
        cells = a.get('cells') or [a.get('cell')]
        for c in cells:
            positives[a['kind']].add(c)
    alerts = load_alerts(alerts_path)
    alerted = collections.defaultdict(set)
    for a in alerts:
        alerted[a['kind']].add(a['entity'])
    counts = collections.Counter(a['kind'] for a in alerts)
    print(f"{'kind':16} {'alerts':>6} {'entities':>8} {'hits':>5} {'truth':>5} {'precision':>9} {'recall':>6}")
    for kind in sorted(set(positives) | set(alerted)):
        hits = alerted[kind] & positives[kind]
        p = len(hits) / len(alerted[kind]) if alerted[kind] else float('nan')
        r = len(hits) / len(positives[kind]) if positives[kind] else float('nan')
        print(f'{kind:16} {counts[kind]:6} {len(alerted[kind]):8} {len(hits):5} {len(positives[kind]):5} {p:9.2f} {r:6.2f}')
    fp_neg = collections.Counter()
    for kind, ents in alerted.items():
        for e in ents:
            if e in negatives:
                fp_neg[(kind, negatives[e])] += 1
    if fp_neg:
        print('hard negatives alerted:', dict(fp_neg))


if __name__ == '__main__':
    main()
