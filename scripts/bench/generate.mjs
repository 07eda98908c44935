/**
 * Synthetic benchmark data in the real formats: a campaign file of N units built
 * from data/campaign.yaml (only the departments are replaced; every task becomes
 * 各有关单位 so each unit reports on all 34), and one filled submission per unit.
 * Everything comes from a seeded generator: the same seed gives the same bytes.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { createRandom } from './prng.mjs';

/** The seven kinds of unit of the bundled district, as every county has them. */
const KINDS = [
  { kind: 'market', name: (c) => `${c}市场监管局`, aliases: (c) => [`${c}市场监督管理局`] },
  { kind: 'cyberspace', name: (c) => `${c}委网信办`, aliases: (c) => [`${c}委网络安全和信息化委员会办公室`] },
  { kind: 'culture_tourism', name: (c) => `${c}文旅体局`, aliases: (c) => [`${c}文化旅游体育局`] },
  { kind: 'police', name: (c) => (c.endsWith('区') ? `${c}公安分局` : `${c}公安局`), aliases: () => [] },
  { kind: 'forestry', name: (c) => `${c}林业局`, aliases: () => [] },
  { kind: 'commerce', name: (c) => `${c}商务局`, aliases: () => [] },
  { kind: 'tax', name: (c) => `${c}税务局`, aliases: (c) => [`国家税务总局${c}税务局`] },
];

const PLACE_FIRST = [...'青安平永和宁长东西南北新丰兴泰广临石龙凤金云清白华桐桃松柳梅兰竹宜德庆绩旌祁休歙潜岳舒望宿灵萧砀怀颍利涡蒙凤定明全来天嘉'];
const PLACE_SECOND = [...'阳山江河源溪城丰宁安平川湖水林谷岭州陵门口泉台丘县远化昌乐德寿康'];
const SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢汪方'];
const GIVEN = [...'伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰萍红娟建国志文斌辉鹏宇浩然晓东海燕春梅雪琴'];

const PRODUCTS = ['电动自行车充电器', '儿童玩具', '保健食品', '化妆品', '茶叶礼盒', '医疗器械', '处方药', '燃气灶具', '学生文具', '农特产品', '月饼礼盒', '电子烟', '家用电器', '婴幼儿奶粉', '野生石斛'];
const ENTITIES = ['商贸有限公司', '电子商务有限公司', '茶叶商行', '大药房', '日用品店', '食品经营部', '科技有限公司', '文化传媒有限公司', '网店', '农产品专业合作社'];
const OFFENCES = [
  (p) => `网络销售不合格${p}案`,
  (p) => `网络销售${p}发布虚假广告案`,
  (p) => `网络销售侵犯注册商标专用权${p}案`,
  (p) => `网店未亮照经营销售${p}案`,
  (p) => `直播带货虚假宣传${p}案`,
  (p) => `网络销售标注“特供”字样${p}案`,
];

/** Clauses of a task report; {n} is a number, {p} a product. About 25 characters each. */
const TASK_CLAUSES = [
  '组织开展专项检查{n}次，出动执法人员{n}人次',
  '检查网站平台网店{n}个次，督促{n}家平台完成入驻商户身份信息核验登记',
  '排查清理证照过期、超范围经营的平台内经营者{n}家，均已责令限期整改',
  '删除违法违规商品信息{n}条，处置违法违规账号{n}个',
  '约谈平台企业负责人{n}人次，签订合规经营承诺书{n}份',
  '在“618”、国庆、“双11”等促销节点开展集中检查，检查网店{n}家次',
  '抽检网售{p}{n}批次，不合格{n}批次均已启动不合格后处理',
  '受理处置涉网投诉举报{n}件，为消费者挽回经济损失{n}万元',
  '立案查处网络销售{p}相关案件{n}起',
  '向公安机关移送涉嫌犯罪线索{n}条',
  '组织主播合规培训{n}期，培训直播营销人员{n}人次',
  '会同网信、公安、商务等部门召开联席会议{n}次，建立线索移送和联合执法机制',
  '通过政府网站和微信公众号曝光典型案例{n}件',
  '对辖区{n}家重点企业开展行政指导，发放合规告知书{n}份',
  '督促平台下架疑似侵权{p}商品{n}件',
  '依托网络交易监测平台发现并处置违法违规线索{n}条',
  '走访电子商务企业{n}家，收集意见建议{n}条并逐条研究回复',
  '制定专项工作方案{n}个，细化责任分工和时间节点',
  '对网售{p}开展质量安全风险监测，发现风险隐患{n}处并督促整改到位',
  '建立辖区直播营销主体台账，登记直播间运营者{n}家',
];

const CASE_CLAUSES = [
  '执法人员在网络交易监测中发现，当事人通过电商平台开设的网店销售{p}',
  '经抽样检验，该批次{p}有{k}个项目不符合标准要求，货值金额{d}万元',
  '当事人在商品详情页使用“最佳”“国家级”等用语，并宣称具有疾病预防功能',
  '经查，当事人未取得相应许可即通过网络开展经营活动，违法所得{d}万元',
  '当事人在直播过程中虚构销量和用户评价，误导消费者购买',
  '执法人员依法对当事人的仓库进行检查，现场查扣涉案商品{n}件',
  '该行为违反了《中华人民共和国电子商务法》和《中华人民共和国广告法》的有关规定',
];

const SUMMARY_LINES = [
  '一是强化主体准入，推进亮照亮证亮规则，督促平台落实入驻商户核验登记义务；',
  '二是聚焦重点商品，对网售食品、药品、化妆品、电动自行车充电器等开展专项抽检；',
  '三是加强部门协作，与公安、网信、商务等部门建立线索移送和联合执法机制；',
  '四是突出以案释法，及时曝光典型案例，形成有力震慑。',
  '下一步，将持续巩固专项行动成果，推动网络市场规范健康发展。',
];

/** A 1×1 transparent PNG: materials need real files beside the submission. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

const pad = (n, width) => String(n).padStart(width, '0');

/** An amount held as an integer number of 1/10000 万元, written with at most 4 decimals. */
function formatAmount(units) {
  const whole = Math.floor(units / 10000);
  const fraction = pad(units % 10000, 4).replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : String(whole);
}

function isoDate(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}

function fill(template, random) {
  return template
    .replace(/\{n\}/g, () => String(random.int(1, 120)))
    .replace(/\{k\}/g, () => String(random.int(1, 4)))
    .replace(/\{d\}/g, () => formatAmount(random.int(100, 90000)))
    .replace(/\{p\}/g, () => random.pick(PRODUCTS));
}

/** About `target` Chinese characters: clauses until the length is reached, then a full stop. */
function prose(random, opening, clauses, target) {
  let text = opening;
  while (text.length < target - 12) text += `${fill(random.pick(clauses), random)}${random.chance(0.3) ? '；' : '，'}`;
  return `${text.replace(/[，；]$/, '')}。`;
}

/** Unique county names, e.g. 青阳县, 安溪区. */
function countyNames(random, count) {
  const names = new Set();
  while (names.size < count) {
    const base = random.pick(PLACE_FIRST) + random.pick(PLACE_SECOND);
    names.add(base + (random.chance(0.3) ? '区' : '县'));
  }
  return [...names];
}

const personName = (random) => random.pick(SURNAMES) + random.pick(GIVEN) + (random.chance(0.6) ? random.pick(GIVEN) : '');
const mobile = (random) => `1${random.pick(['33', '39', '55', '58', '59', '80', '89', '38'])}${pad(random.int(0, 99999999), 8)}`;

/** The units of the synthetic campaign: counties × the seven kinds, ids u0001… */
export function makeUnits(random, count) {
  const counties = countyNames(random, Math.ceil(count / KINDS.length));
  const units = [];
  for (let i = 0; i < count; i++) {
    const county = counties[Math.floor(i / KINDS.length)];
    const kind = KINDS[i % KINDS.length];
    units.push({
      id: `u${pad(i + 1, 4)}`,
      name: kind.name(county),
      aliases: kind.aliases(county),
      contact: { name: personName(random), phone: mobile(random) },
      county,
    });
  }
  return units;
}

/**
 * The campaign file: data/campaign.yaml with its departments replaced, every task
 * assigned to all units (各有关单位) and no indicator split by department (nature). Edited as a YAML document so every other value,
 * quoting and comment stays exactly as in the real file.
 */
export function makeCampaignText(realCampaignText, units) {
  const doc = parseDocument(realCampaignText);
  doc.set('departments', doc.createNode(units.map(({ id, name, aliases, contact }) => ({ id, name, aliases, contact }))));
  const tasks = doc.get('tasks');
  for (const task of tasks.items) task.set('departments', 'all');
  // An indicator's nature names departments by id (公安机关: police): the real departments are gone.
  for (const indicator of doc.get('indicators').items) indicator.delete('nature');
  return doc.toString({ lineWidth: 0 });
}

/**
 * Statistics consistent with the campaign's rules and below each bound, and with the
 * cases: fines ≥ the cases' fines, cases_filed ≥ the cases, cases_exposed ≥ those exposed.
 */
function makeStatistics(random, indicators, cases) {
  const caseFineUnits = cases.reduce((sum, c) => sum + (c.fineUnits ?? 0), 0);
  const exposed = cases.filter((c) => c.exposed).length;
  const s = {};
  s.inspectors = random.int(80, 1500);
  s.platforms_checked = random.int(100, 3000);
  s.listings_removed = random.int(20, 2000);
  s.accounts_handled = random.int(0, 60);
  s.sites_rectified = random.int(0, 30);
  s.sites_closed = random.int(0, 5);
  s.apps_handled = random.int(0, 10);
  s.shops_suspended = random.int(0, 20);
  s.cases_filed = cases.length + random.int(0, 100);
  s.cases_closed = s.cases_filed - random.int(0, Math.floor(s.cases_filed / 5));
  s.fines = caseFineUnits + random.int(0, 2_000_000); // in 1/10000 万元
  s.cases_transferred = random.int(0, Math.min(5, s.cases_filed)); // never more than were filed (the campaign's rule)
  s.samples_tested = random.int(10, 150);
  s.samples_failed = random.int(0, Math.min(12, s.samples_tested));
  s.cases_exposed = exposed + random.int(0, 5);
  s.practices = random.int(0, 5);
  s.regulations = random.int(0, 5);
  const out = [];
  for (const indicator of indicators) {
    // An indicator this builder does not know (another year's campaign) gets a small count.
    let value = s[indicator.id] ?? random.int(0, Math.max(1, Math.floor((indicator.warn_above ?? 1000) / 100)));
    if (indicator.kind === 'amount' && !(indicator.id in s)) value *= 10000;
    out.push({ indicator, value, text: indicator.kind === 'amount' ? formatAmount(value) : String(value) });
  }
  return out;
}

/** Checks the generated figures the way the campaign does, so a wrong generator fails here, not later. */
function assertConsistent(figures, campaign, unitId) {
  const value = new Map(figures.map((f) => [f.indicator.id, f.indicator.kind === 'amount' ? f.value / 10000 : f.value]));
  for (const f of figures) {
    const v = value.get(f.indicator.id);
    if (f.indicator.warn_above !== undefined && v > f.indicator.warn_above) throw new Error(`${unitId}: ${f.indicator.id}=${v} is above warn_above`);
  }
  const sum = (expr) => expr.split('+').reduce((total, term) => total + (/^\d/.test(term.trim()) ? Number(term) : value.get(term.trim())), 0);
  const ops = { '<=': (a, b) => a <= b, '<': (a, b) => a < b, '>=': (a, b) => a >= b, '>': (a, b) => a > b, '==': (a, b) => a === b, '!=': (a, b) => a !== b };
  for (const rule of campaign.rules ?? [])
    if (!ops[rule.op](sum(rule.left), sum(rule.right))) throw new Error(`${unitId}: rule ${rule.id} fails`);
}

function makeCases(random, unit, count, tasks, period, submittedMs) {
  const start = Date.parse(`${period.start}T00:00:00Z`);
  const last = Math.min(Date.parse(`${period.end}T00:00:00Z`), submittedMs - 86_400_000);
  const days = Math.floor((last - start) / 86_400_000);
  const cases = [];
  for (let i = 0; i < count; i++) {
    const product = random.pick(PRODUCTS);
    const title = `${unit.county}某${random.pick(ENTITIES)}${random.pick(OFFENCES)(product)}`;
    const hasFine = random.chance(0.85);
    const fineUnits = hasFine ? random.int(1000, 50000) : undefined;
    const confiscated = hasFine && random.chance(0.4) ? random.int(100, Math.min(10000, fineUnits - 100)) : 0;
    cases.push({
      title,
      task: random.pick(tasks).no,
      date: isoDate(start + random.int(0, days) * 86_400_000),
      summary: prose(random, '', CASE_CLAUSES, random.int(80, 120)),
      result: hasFine
        ? confiscated
          ? `罚款${formatAmount(fineUnits - confiscated)}万元，没收违法所得${formatAmount(confiscated)}万元`
          : `罚款${formatAmount(fineUnits)}万元`
        : '责令改正，予以警告',
      fineUnits,
      exposed: random.chance(0.3),
    });
  }
  return cases;
}

/** One submission's text, laid out like data/submissions/区市场监管局.yaml. */
function submissionText(unit, campaign, random, casesPerUnit) {
  const submittedMs = Date.parse('2024-11-01T00:00:00Z') + random.int(0, 11) * 86_400_000;
  const cases = makeCases(random, unit, casesPerUnit, campaign.tasks, campaign.period, submittedMs);
  const figures = makeStatistics(random, campaign.indicators, cases);
  assertConsistent(figures, campaign, unit.id);
  const lines = [
    `# ${campaign.table_title}报送`,
    `department: ${unit.name}`,
    `filled_by: ${personName(random)}`,
    `reviewed_by: ${personName(random)}`,
    `phone: "${unit.contact.phone}"`,
    `submitted_at: ${isoDate(submittedMs)}`,
    '',
    '# 统计表',
    'statistics:',
    ...figures.map((f) => `  ${f.indicator.id}: ${f.text}`),
    '',
    '# 重点任务完成情况',
    'tasks:',
  ];
  for (const task of campaign.tasks)
    lines.push(`  ${task.no}: >-`, `    ${prose(random, `${unit.name}认真落实“${task.title.replace(/[“”]/g, '')}”任务，`, TASK_CLAUSES, random.int(190, 210))}`);
  lines.push('', '# 典型案例', 'cases:');
  for (const c of cases) {
    lines.push(`  - title: ${c.title}`, `    task: ${c.task}`, `    date: ${c.date}`, '    summary: >-', `      ${c.summary}`, `    result: ${c.result}`);
    if (c.fineUnits !== undefined) lines.push(`    fine: ${formatAmount(c.fineUnits)}`);
    lines.push(`    exposed: ${c.exposed}`);
  }
  const stat = Object.fromEntries(figures.map((f) => [f.indicator.id, f.text]));
  lines.push(
    '',
    '# 专项行动总结',
    'summary: |',
    `  专项行动开展以来，${unit.name}围绕准入关、秩序关、安全关、质量关、风险关五个方面，累计出动执法人员${stat.inspectors ?? 0}人次，检查网站平台网店${stat.platforms_checked ?? 0}个次，立案${stat.cases_filed ?? 0}件，罚没款${stat.fines ?? 0}万元。`,
    ...SUMMARY_LINES.map((l) => `  ${l}`),
    '',
    '# 图片视频资料',
    'materials:',
    `  - 材料/${unit.name}/检查现场1.png`,
    `  - 材料/${unit.name}/检查现场2.png`,
    '',
  );
  return { text: lines.join('\n'), caseRows: cases.length };
}

/**
 * Write the campaign and the submissions under `root`. Returns what was written and a
 * SHA-256 over every file (path and bytes), which is the same on every run of the same seed.
 */
export function generateDataset({ root, realCampaignFile, units: unitCount, casesPerUnit, seed }) {
  const random = createRandom(seed);
  const realText = readFileSync(realCampaignFile, 'utf8');
  const units = makeUnits(random, unitCount);
  const campaignText = makeCampaignText(realText, units);
  const campaign = parseDocument(campaignText).toJS();
  const hash = createHash('sha256');
  const campaignFile = join(root, 'campaign.yaml');
  const dir = join(root, 'submissions');
  mkdirSync(dir, { recursive: true });
  const write = (path, rel, data) => {
    writeFileSync(path, data);
    hash.update(`${rel}\0`).update(data);
  };
  write(campaignFile, 'campaign.yaml', campaignText);
  let bytes = 0;
  let caseRows = 0;
  const files = [];
  for (const unit of units) {
    const { text, caseRows: rows } = submissionText(unit, campaign, random, casesPerUnit);
    const name = `${unit.name}.yaml`;
    write(join(dir, name), `submissions/${name}`, text);
    const materials = join(dir, '材料', unit.name);
    mkdirSync(materials, { recursive: true });
    for (const m of ['检查现场1.png', '检查现场2.png']) write(join(materials, m), `submissions/材料/${unit.name}/${m}`, PNG);
    bytes += Buffer.byteLength(text);
    caseRows += rows;
    files.push(name);
  }
  return { campaignFile, dir, files, bytes, caseRows, tasks: campaign.tasks.length, indicators: campaign.indicators.length, sha256: hash.digest('hex') };
}
