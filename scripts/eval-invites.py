#!/usr/bin/env python3
"""How the rules do on a generated invite log (scripts/make-invites.py).

    python3 scripts/eval-invites.py DECISIONS.jsonl LABELS

DECISIONS: `warden check` (or `warden audit --all --out`) output for the log. A redemption is
flagged when its verdict is not allow. Prints the share of farm redemptions flagged after each
farm's third (chains and stars apart), the share of honest redemptions flagged (popular
inviters apart), and which rules flagged honest ones.
"""
import collections
import json
import sys


def main():
    decisions = {}
    with open(sys.argv[1]) as f:
        for line in f:
            d = json.loads(line)
            decisions[d["id"]] = d
    totals = collections.Counter()
    flagged = collections.Counter()
    honest_rules = collections.Counter()
    farm_rules = collections.Counter()
    with open(sys.argv[2]) as f:
        for line in f:
            eid, cls, group, n = line.rstrip("\n").split("\t")
            d = decisions.get(eid)
            if d is None:
                continue
            hit = d["decision"] != "allow"
            keys = []
            if cls == "honest":
                keys = ["honest", "honest (popular inviters)" if group.startswith("popular") else "honest (trees)"]
            elif int(n) > 3:
                keys = ["farm after its third", f"{cls} after its third"]
            for k in keys:
                totals[k] += 1
                flagged[k] += hit
            if hit:
                for rule in d["fired"]:
                    (honest_rules if cls == "honest" else farm_rules)[rule["rule"]] += 1
    for k in ["farm after its third", "chain after its third", "star after its third", "honest", "honest (trees)", "honest (popular inviters)"]:
        if totals[k]:
            print(f"{k:28} {flagged[k]:6} / {totals[k]:6} flagged = {100 * flagged[k] / totals[k]:5.1f}%")
    print("rules on flagged farm redemptions:  " + ", ".join(f"{r} {n}" for r, n in farm_rules.most_common(8)))
    print("rules on flagged honest redemptions: " + (", ".join(f"{r} {n}" for r, n in honest_rules.most_common(8)) or "none"))


if __name__ == "__main__":
    main()
