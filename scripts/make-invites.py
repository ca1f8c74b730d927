#!/usr/bin/env python3
"""A generated invite log: honest invite trees beside reward farms (羊毛党), with labels.

    python3 scripts/make-invites.py --seed 1 --out bench-data/invites.jsonl --labels bench-data/invites.labels

Three days of `issue` and `redeem` events (sorted by time):

- honest trees: a root issues a code; invitees redeem it hours to days later on their own phones
  and home or office networks; some issue codes of their own (hours to days after redeeming,
  a few within minutes) and invite further; a few redeem on a family member's phone at home;
- popular honest inviters: 50-150 invitees each over the three days, on their own phones;
- chains: alt accounts invite each other minutes apart, from a farmer's three phones and a
  handful of rotating mobile networks;
- stars: one code redeemed by dozens of accounts from two phones over one to three days, spread
  so that no phone passes three redemptions in an hour.

- proxy farms (`--proxy-farms N`): farms that copy honest shapes to pass the graph rules: each
  alt redeems on a fresh device from its own proxy address, hours apart, and never comes back.

With `--returns`, honest invitees come back as people do (three in four send a message one to
four days after redeeming; the log then runs past the three days to carry those sends); farm
alts never do. That is what `reward_requires_return` reads.

The labels file has one line per redeem event: `id<TAB>class<TAB>group<TAB>n`, where class is
honest, chain, star or proxy, group names the farm (or tree) and n counts the farm's redemptions
from 1. Codes carry no `max_uses` except a few honest single-use codes redeemed once.

`--counts FILE` writes the generator's own invite graph: one line per account that invited
anyone, `account<TAB>direct<TAB>descendants<TAB>class<TAB>returned`, where returned counts the
direct invitees that came back (a replay's downline must give the same first two numbers).
"""
import argparse
import json
import random

T0 = 1_793_491_200  # 2026-11-01T00:00:00Z: in the past, as a log is
DAYS = 3
HORIZON = DAYS * 86_400


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--trees", type=int, default=3000)
    ap.add_argument("--popular", type=int, default=20)
    ap.add_argument("--chains", type=int, default=40)
    ap.add_argument("--stars", type=int, default=30)
    ap.add_argument("--proxy-farms", type=int, default=0)
    ap.add_argument("--returns", action="store_true", help="honest invitees send again one to four days after redeeming")
    ap.add_argument("--counts", help="write each inviter's direct and descendant counts here")
    ap.add_argument("--variant", choices=["base", "hard"], default="base",
                    help="hard: farms with more phones and slower steps, honest users with more family phones and fast issuers")
    ap.add_argument("--out", required=True)
    ap.add_argument("--labels", required=True)
    args = ap.parse_args()
    r = random.Random(args.seed)
    hard = args.variant == "hard"
    family_rate = 0.04 if hard else 0.015
    fast_issuers = 0.10 if hard else 0.03
    chain_phones = 5 if hard else 3
    chain_step = (300, 1800) if hard else (120, 900)
    chain_issue = (60, 2400) if hard else (30, 600)
    star_phones = 3 if hard else 2
    star_fresh = 0.3 if hard else 0.0
    events = []
    labels = {}
    # The generator's own graph: each redemption's account is new, so every redemption binds.
    parent = {}
    returned = set()
    kind = {}
    counter = [0]

    def eid():
        counter[0] += 1
        return f"v{counter[0]:08d}"

    def emit(t, **fields):
        e = {"id": eid(), "ts": int(T0 + t)}
        e.update(fields)
        events.append(e)
        return e["id"]

    def code():
        return "".join(r.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(10))

    # Networks: home /24s are many; offices are shared by dozens of accounts.
    def home_ip():
        return f"10.{r.randrange(0, 200)}.{r.randrange(0, 256)}.{r.randrange(1, 255)}"

    offices = [f"172.16.{k}" for k in range(60)]

    def office_ip():
        return f"{r.choice(offices)}.{r.randrange(1, 255)}"

    person = [0]

    def new_person():
        person[0] += 1
        p = f"u{person[0]}"
        return {"account": p, "device": f"ph-{p}", "home": home_ip(), "office": office_ip() if r.random() < 0.3 else None}

    def where(p):
        return p["office"] if p["office"] and r.random() < 0.5 else p["home"]

    def bind(account, owner, t, cls, person):
        parent[account] = owner
        kind.setdefault(owner, cls)
        if args.returns and person is not None and r.random() < 0.75:
            back = t + r.uniform(86_400, 4 * 86_400)
            emit(back, type="send", account=account, text="在吗？明天一起吃饭", to=["f" + account], device=person["device"],
                 ip=where(person))
            returned.add(account)

    # Honest trees.
    def grow(owner, t_issue, depth, tree, fanout_mean):
        c = code()
        single = r.random() < 0.05
        fields = {"type": "issue", "account": owner["account"], "code": c, "device": owner["device"], "ip": where(owner)}
        if single:
            fields["attrs"] = {"max_uses": 1}
        emit(t_issue, **fields)
        kids = 1 if single else min(12, int(r.expovariate(1 / fanout_mean)))
        for _ in range(kids):
            t = t_issue + r.lognormvariate(9.5, 1.3)  # median ~3.7 h after the issue
            if t >= HORIZON:
                continue
            kid = new_person()
            family = r.random() < family_rate
            device = owner["device"] if family else kid["device"]
            ip = owner["home"] if family else where(kid)
            rid = emit(t, type="redeem", account=kid["account"], code=c, device=device, ip=ip)
            labels[rid] = ("honest", tree, 0)
            bind(kid["account"], owner["account"], t, "honest", kid)
            if depth < 6 and r.random() < 0.35:
                delay = r.lognormvariate(10.5, 1.5) if r.random() > fast_issuers else r.uniform(120, 1800)
                if t + delay < HORIZON:
                    grow(kid, t + delay, depth + 1, tree, fanout_mean * 0.8)

    for k in range(args.trees):
        root = new_person()
        grow(root, r.uniform(0, HORIZON * 0.8), 0, f"tree{k}", 1.6)

    for k in range(args.popular):
        star = new_person()
        c = code()
        t0 = r.uniform(0, HORIZON * 0.3)
        emit(t0, type="issue", account=star["account"], code=c, device=star["device"], ip=where(star))
        n = r.randint(50, 150)
        for _ in range(n):
            t = r.uniform(t0 + 60, HORIZON)
            fan = new_person()
            rid = emit(t, type="redeem", account=fan["account"], code=c, device=fan["device"], ip=where(fan))
            labels[rid] = ("honest", f"popular{k}", 0)
            bind(fan["account"], star["account"], t, "honest", fan)

    # Farms: a farmer's phones and a few mobile networks it rotates through.
    def mobile_ip(nets):
        return f"{r.choice(nets)}.{r.randrange(1, 255)}"

    for k in range(args.chains):
        phones = [f"fp-c{k}-{i}" for i in range(chain_phones)]
        nets = [f"100.{64 + r.randrange(0, 60)}.{r.randrange(0, 256)}" for _ in range(4)]
        t = r.uniform(0, HORIZON * 0.9)
        length = r.randint(8, 20)
        owner = f"c{k}a0"
        emit(t, type="issue", account=owner, code=(c := code()), device=phones[0], ip=mobile_ip(nets))
        for i in range(1, length + 1):
            t += r.uniform(*chain_step)
            acct = f"c{k}a{i}"
            phone = phones[i % len(phones)]
            rid = emit(t, type="redeem", account=acct, code=c, device=phone, ip=mobile_ip(nets))
            labels[rid] = ("chain", f"chain{k}", i)
            bind(acct, f"c{k}a{i - 1}", t, "chain", None)
            t += r.uniform(*chain_issue)
            c = code()
            emit(t, type="issue", account=acct, code=c, device=phone, ip=mobile_ip(nets))
        if t > HORIZON:
            pass

    for k in range(args.stars):
        phones = [f"fp-s{k}-{i}" for i in range(star_phones)]
        nets = [f"100.{64 + r.randrange(0, 60)}.{r.randrange(0, 256)}" for _ in range(6)]
        owner = f"s{k}o"
        t0 = r.uniform(0, HORIZON * 0.5)
        c = code()
        emit(t0, type="issue", account=owner, code=c, device=phones[0], ip=mobile_ip(nets))
        n = r.randint(24, 60)
        span = r.uniform(86_400, HORIZON - t0)
        times = sorted(r.uniform(t0 + 300, t0 + span) for _ in range(n))
        for i, t in enumerate(times, 1):
            device = f"fresh-s{k}-{i}" if r.random() < star_fresh else phones[i % len(phones)]
            rid = emit(t, type="redeem", account=f"s{k}r{i}", code=c, device=device, ip=mobile_ip(nets))
            labels[rid] = ("star", f"star{k}", i)
            bind(f"s{k}r{i}", owner, t, "star", None)

    for k in range(args.proxy_farms):
        owner = new_person()
        t = r.uniform(0, HORIZON * 0.5)
        c = code()
        emit(t, type="issue", account=owner["account"], code=c, device=owner["device"], ip=where(owner))
        for i in range(1, r.randint(5, 12) + 1):
            t += r.uniform(3600, 6 * 3600)
            if t >= HORIZON:
                break
            acct = f"x{k}r{i}"
            proxy = f"{r.randrange(11, 99)}.{r.randrange(0, 256)}.{r.randrange(0, 256)}.{r.randrange(1, 255)}"
            rid = emit(t, type="redeem", account=acct, code=c, device=f"fresh-x{k}-{i}", ip=proxy)
            labels[rid] = ("proxy", f"proxy{k}", i)
            bind(acct, owner["account"], t, "proxy", None)

    events.sort(key=lambda e: (e["ts"], e["id"]))
    if args.counts:
        direct, below, back = {}, {}, {}
        for account, owner in parent.items():
            direct[owner] = direct.get(owner, 0) + 1
            if account in returned:
                back[owner] = back.get(owner, 0) + 1
            up, seen = owner, 0
            while up is not None and seen < 1000:
                below[up] = below.get(up, 0) + 1
                up = parent.get(up)
                seen += 1
        with open(args.counts, "w") as f:
            for owner in sorted(direct):
                f.write(f"{owner}\t{direct[owner]}\t{below[owner]}\t{kind[owner]}\t{back.get(owner, 0)}\n")
    with open(args.out, "w") as f:
        for e in events:
            f.write(json.dumps(e, ensure_ascii=False, separators=(",", ":")) + "\n")
    with open(args.labels, "w") as f:
        for e in events:
            if e["id"] in labels:
                cls, group, n = labels[e["id"]]
                f.write(f"{e['id']}\t{cls}\t{group}\t{n}\n")


if __name__ == "__main__":
    main()
