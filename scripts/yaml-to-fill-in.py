"""
Fills a blank fill-in workbook (report init <单位> --format xlsx) from a YAML submission with
openpyxl, as a clerk would type it in WPS or Excel: the demo's 区委网信办.xlsx is made so, with
the same figures, tasks, cases and summary as the YAML it replaces.

Usage (Debian's python3 with python3-openpyxl and python3-yaml):
  node bin/report.js init 区委网信办 --format xlsx --out /tmp/blank
  /usr/bin/python3 scripts/yaml-to-fill-in.py /tmp/blank/区委网信办.xlsx 区委网信办.yaml data/submissions/区委网信办.xlsx
"""
import datetime
import sys

import openpyxl
import yaml

BLANK, SOURCE, OUT = sys.argv[1:4]
# Dates as the clerk's program stores them (date cells), everything else as typed.
sub = yaml.load(open(SOURCE, encoding='utf-8'), Loader=yaml.BaseLoader)


def as_date(text):
    return datetime.datetime.strptime(text, '%Y-%m-%d')


def as_number(text):
    return float(text) if '.' in text else int(text)


wb = openpyxl.load_workbook(BLANK)
basic = wb['基本信息']
for row in basic.iter_rows(min_row=1, max_row=12):
    label = row[0].value
    value = {'填表人': sub.get('filled_by'), '审核人': sub.get('reviewed_by'), '联系电话': sub.get('phone'), '报送日期': sub.get('submitted_at')}.get(label)
    if value:
        row[1].value = as_date(value) if label == '报送日期' else value

campaign = yaml.safe_load(open('data/campaign.yaml', encoding='utf-8'))
labels = {i['id']: i['label'] for i in campaign['indicators']}
stats = wb['统计表']
columns = {str(c.value).split('\n')[0]: c.column for c in stats[4] if c.value}
for key, value in sub['statistics'].items():
    if value != '':
        stats.cell(5, columns[labels[key]]).value = as_number(value)

tasks = wb['重点任务']
for row in tasks.iter_rows(min_row=4):
    text = sub.get('tasks', {}).get(str(row[0].value))
    if text:
        row[4].value = text

cases = wb['典型案例']
for i, c in enumerate(sub.get('cases', [])):
    r = 4 + i
    values = [c['title'], int(c['task']), as_date(c['date']), c['summary'], c.get('result'), as_number(c['fine']) if c.get('fine') else None, '是' if c.get('exposed') == 'true' else '否']
    for col, value in enumerate(values, start=2):
        cases.cell(r, col).value = value

wb['工作总结']['A3'] = sub.get('summary', '').rstrip('\n')
for i, path in enumerate(sub.get('materials', [])):
    wb['图片视频资料'].cell(4 + i, 2).value = path
wb.save(OUT)
