#!/usr/bin/env python3
"""Seeded generator of benchmark inputs: an OpenAI usage dashboard cost export and API keys pages.

The same seed and size give the same bytes, so numbers taken on different days compare.

    gen.py cost ROWS OUT.csv     # 300 keys, 20 projects, 60 days, ~200 bytes a row
    gen.py keys N OUT.html       # an org API keys page with N keys

The cost export has the header in /work/shared/PLATFORM-DATA.md (section 4.1) and the shapes of
tests/fixtures/csv/cost_*.csv: day buckets as Unix seconds and ISO times (with and without
`+00:00`), quoted `"<model>, <token type>"` line items, and a blank-amount row now and then (the
export writes a row for every day, charged or not).
"""

import random
import sys

SEED = 20261122
KEYS, PROJECTS, DAYS, USERS = 300, 20, 60, 40
DAY0 = 1_790_467_200 - 86_400 * 59  # the last bucket is 2026-09-27
HEADER = (
    "start_time,end_time,start_time_iso,end_time_iso,amount_value,amount_currency,quantity,"
    "quantity_unit,line_item,user_id,api_key_id,project_id,organization_id,project_name,"
    "organization_name,user_email,api_source\n"
)
MODELS = ["gpt-5", "gpt-5-mini", "gpt-5-nano", "gpt-4.1", "o4-mini", "text-embedding-3-small"]
TOKENS = ["input_tokens", "output_tokens", "cached_input_tokens"]


def iso(t, offset):
    days = t // 86_400
    # civil from days (Howard Hinnant's algorithm): no datetime object per row.
    z = days + 719_468
    era = z // 146_097
    doe = z - era * 146_097
    yoe = (doe - doe // 1460 + doe // 36_524 - doe // 146_096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    y += m <= 2
    return f"{y:04d}-{m:02d}-{d:02d}T00:00:00{'+00:00' if offset else ''}"


def cost(rows, out):
    rnd = random.Random(SEED)
    # One id per project; each key belongs to one project and was created by one member.
    proj_ids = [f"proj_{rnd.getrandbits(64):016x}" for _ in range(PROJECTS)]
    keys = []
    for _ in range(KEYS):
        p, u = rnd.randrange(PROJECTS), rnd.randrange(USERS)
        kid = f"key_{rnd.getrandbits(64):016x}"
        keys.append((kid, proj_ids[p], f"Project {p}", f"user-{u:04d}", f"m{u}@acme.example"))
    days = []
    for d in range(DAYS):
        t = DAY0 + 86_400 * d
        off = d % 3 != 0  # both ISO forms occur in real exports
        days.append(f"{t},{t + 86_400},{iso(t, off)},{iso(t + 86_400, off)}")
    items = [f'"{m}, {k}"' for m in MODELS for k in TOKENS]
    with open(out, "w", encoding="utf-8", newline="") as f:
        f.write(HEADER)
        buf = []
        rand, randrange = rnd.random, rnd.randrange
        for i in range(rows):
            day = days[randrange(DAYS)]
            kid, pid, pname, uid, email = keys[randrange(KEYS)]
            if rand() < 0.01:
                buf.append(f"{day},,,,,,,,,,,,,\n")
            else:
                amount = f"{rand() * 3:.10f}"
                qty = randrange(1, 200_000)
                item = items[randrange(len(items))]
                buf.append(
                    f"{day},{amount},usd,{qty},tokens,{item},{uid},{kid},{pid},org-acme,"
                    f"{pname},Acme,{email},\n"
                )
            if len(buf) >= 10_000:
                f.write("".join(buf))
                buf.clear()
        f.write("".join(buf))


def keys_page(n, out):
    rnd = random.Random(SEED + n)
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    parts = [
        "<!DOCTYPE html><!-- saved from url=(0054)https://platform.openai.com/settings/organization/api-keys -->"
        "<html><head><title>API keys - OpenAI API</title></head><body><main><h1>API keys</h1><table><thead><tr>"
        "<th>Name</th><th>Secret key</th><th>Created</th><th>Last used</th><th>Project access</th>"
        "<th>Created by</th><th>Permissions</th><th><span class=\"sr-only\">Actions</span></th></tr></thead><tbody>"
    ]
    for i in range(n):
        created = f"{months[rnd.randrange(12)]} {rnd.randrange(1, 29)}, {rnd.choice([2024, 2025])}"
        used = "Never" if rnd.random() < 0.15 else f"Nov {rnd.randrange(1, 21)}, 2026"
        tail = "".join(rnd.choice("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(4))
        parts.append(
            f"<tr><td><span>service-{i}</span></td><td><code>sk-proj-...{tail}</code><button>"
            f"<span class=\"sr-only\">Copy</span></button></td><td><span title=\"{created}\">{created}</span></td>"
            f"<td>{used}</td><td><span>Project {rnd.randrange(PROJECTS)}</span></td>"
            f"<td><span>Owner {rnd.randrange(USERS)}</span></td><td>{rnd.choice(['All', 'Restricted', 'Read only'])}</td>"
            "<td><button aria-label=\"Revoke\"></button></td></tr>"
        )
    parts.append("</tbody></table></main></body></html>")
    with open(out, "w", encoding="utf-8") as f:
        f.write("".join(parts))


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in ("cost", "keys"):
        sys.exit(__doc__)
    what, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    (cost if what == "cost" else keys_page)(n, out)
