#!/usr/bin/python3
"""
The peer: what an office's IT colleague would write instead of `report merge` -- PyYAML with
its C loader plus openpyxl, writing the statistics table with SUM totals, the cases and the
task texts, with no checks and no template. `npm run bench` runs it on the same data as merge
and prints merge's time and peak memory as ratios to it.

    /usr/bin/python3 scripts/bench/peer.py CAMPAIGN.yaml SUBMISSIONS_DIR OUT.xlsx
"""
import os
import sys

import yaml
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

Loader = yaml.CSafeLoader  # the fast C loader: without it, PyYAML is many times slower


def main(campaign_file, folder, out):
    with open(campaign_file, encoding="utf-8") as f:
        campaign = yaml.load(f, Loader=Loader)
    indicators = campaign["indicators"]
    departments = campaign["departments"]
    by_name = {}
    for d in departments:
        for n in [d["id"], d["name"], *d.get("aliases", [])]:
            by_name[n] = d["id"]

    submissions = {}
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".yaml"):
            continue
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            s = yaml.load(f, Loader=Loader)
        dept = by_name.get(str(s.get("department", "")).strip())
        if dept:
            submissions[dept] = s

    wb = Workbook()
    ws = wb.active
    ws.title = "统计表"
    ws.append([campaign["table_title"]])
    ws.append(["序号", "单位"] + [f'{i["label"]}（{i["unit"]}）' for i in indicators])
    first = 3
    for k, d in enumerate(departments):
        s = submissions.get(d["id"])
        stats = (s or {}).get("statistics") or {}
        ws.append([k + 1, d["name"]] + [stats.get(i["id"]) for i in indicators])
    last = first + len(departments) - 1
    ws.append(["合计", ""] + [f"=SUM({get_column_letter(c)}{first}:{get_column_letter(c)}{last})" for c in range(3, 3 + len(indicators))])

    cases = wb.create_sheet("典型案例")
    cases.append(["序号", "单位", "任务序号", "案例名称", "日期", "基本案情", "处理结果", "罚没款（万元）", "是否曝光"])
    n = 0
    for d in departments:
        for c in ((submissions.get(d["id"]) or {}).get("cases") or []):
            n += 1
            cases.append([n, d["name"], c.get("task"), c.get("title"), str(c.get("date")), c.get("summary"), c.get("result"), c.get("fine"), "是" if c.get("exposed") else "否"])

    tasks = wb.create_sheet("重点任务落实")
    tasks.append(["序号", "任务", "单位", "落实情况"])
    for t in campaign["tasks"]:
        no = t[False] if False in t else t["no"]  # YAML 1.1: PyYAML reads the key `no` as false
        for d in departments:
            text = ((submissions.get(d["id"]) or {}).get("tasks") or {}).get(no)
            if text:
                tasks.append([no, t["title"], d["name"], text])

    wb.save(out)


if __name__ == "__main__":
    import json
    import resource

    main(*sys.argv[1:4])
    # Peak RSS (KiB on Linux) and CPU, for the bench to set beside merge's.
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"maxRssKiB": usage.ru_maxrss, "cpuMs": (usage.ru_utime + usage.ru_stime) * 1000}))
