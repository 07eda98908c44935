/** Chinese messages: the default language. Keep en.ts in step (its type enforces the same keys). */
export const zh = {
  // ── files ──
  'file/unreadable': '无法读取文件：{reason}',
  'file/not-found': '找不到文件或文件夹：{path}',
  'file/too-large': '文件过大（{size}），超过 {limit} 的上限；报送文件只应包含文字，图片视频请放在 materials 中列出',
  'file/empty': '文件是空的，请用 report init 生成报送模板后填写',
  'file/encoding': '文件编码无法识别（既不是 UTF-8 也不是 GBK/GB18030），请在记事本中“另存为”UTF-8 编码',
  'file/binary': '这不是文本文件（可能是 Excel 或 Word 文档），报送文件须为 YAML 文本',

  // ── YAML syntax ──
  'yaml/syntax': 'YAML 格式错误：{detail}',
  'yaml/fullwidth-colon': '“{key}”后面用了中文冒号“：”，请改为英文冒号加空格“: ”',
  'yaml/colon-space': '冒号后面缺少空格，请写成“{key}: {value}”',
  'yaml/fullwidth-space': '行首用了全角空格缩进，请改用半角空格',
  'yaml/tab-indent': '用了 Tab 键缩进，YAML 只能用空格缩进，请把 Tab 换成空格',
  'yaml/duplicate-key': '“{key}”重复出现（第一次在第 {firstLine} 行），请删除或合并其中一处',
  'yaml/alias': '不支持 YAML 锚点和别名（& 与 *），请直接写出内容',
  'yaml/too-deep': '嵌套层次过深（超过 {limit} 层），报送文件不需要这么多层',
  'yaml/not-mapping': '文件最外层应是“键: 值”的形式（department、statistics 等），现在是{found}',
  'yaml/multiple-documents': '文件中有多个 YAML 文档（--- 分隔），一个文件只能填写一份报送',

  // ── structure ──
  'schema/unknown-key': '未知的项目“{key}”{hint}',
  'schema/did-you-mean': '，是否想写“{suggestion}”？',
  'schema/allowed-keys': '，可用的项目有：{allowed}',
  'schema/required': '缺少必填项“{key}”（{label}）',
  'schema/expected-mapping': '“{key}”下面应是“键: 值”的列表',
  'schema/expected-list': '“{key}”下面应是以“- ”开头的列表',
  'schema/expected-text': '“{key}”应填写文字',
  'schema/expected-boolean': '“{key}”应填 是 或 否（true/false）',
  'schema/reserved-key': '“{key}”是保留字，不能作为项目名',
  'schema/unknown-department': '未知的单位“{value}”，可填写：{valid}',
  'schema/unknown-indicator': '未知的统计指标“{key}”{hint}',
  'schema/duplicate-indicator': '指标“{label}”填写了两次（“{first}”与“{second}”），请只保留一处',
  'schema/unknown-task': '任务序号“{value}”不在方案中（方案共 {count} 项任务，序号 1–{max}）',
  'schema/summary-both': 'summary 与 summary_file 只能填写一个',
  'schema/summary-missing': '没有填写专项行动总结（summary 或 summary_file）',

  // ── values ──
  'value/not-a-number': '“{label}”应填写数字，现在是“{value}”',
  'value/unit-in-number': '“{label}”里多了单位或文字：请只写数字 {number}（单位“{unit}”已在表头中）',
  'value/fullwidth-digits': '“{label}”用了全角数字或符号“{value}”，请改为半角：{number}',
  'value/thousands-separator': '“{label}”中不要用千分位逗号，请写成 {number}',
  'value/negative': '“{label}”不能为负数（{value}）',
  'value/not-integer': '“{label}”以“{unit}”计，应为整数，现在是 {value}',
  'value/too-large': '“{label}”的数值 {value} 超出可精确表示的范围，请核对',
  'value/too-many-decimals': '“{label}”最多保留 4 位小数（单位{unit}），现在是 {value}',
  'value/implausible': '“{label}”为 {value} {unit}，超过常见上限 {limit}，请核对（是否把“元”当成了“{unit}”？）',
  'value/date': '“{key}”日期格式无法识别：“{value}”，请写成 2024-11-10 或 2024年11月10日',
  'value/date-invalid': '“{key}”不是有效的日期：“{value}”',
  'value/date-outside': '“{key}”日期 {value} 不在专项行动期间（{start} 至 {end}）',
  'value/date-future': '“{key}”日期 {value} 晚于今天',
  'value/phone': '联系电话“{value}”格式不对，请填写手机号或带区号的座机（如 0559-8510026）',
  'value/empty': '“{key}”不能为空',
  'value/fine-without-unit': '案例罚没款“{value}”请只写以万元计的数字',

  // ── tasks ──
  'task/missing': '任务 {no}（{title}）是本单位职责，尚未填写落实情况',
  'task/not-responsible': '任务 {no}（{title}）不在本单位职责分工中，请确认序号是否填错',

  // ── materials ──
  'material/absolute': '材料路径“{value}”是绝对路径，请写相对于报送文件所在文件夹的路径',
  'material/outside': '材料路径“{value}”指向报送文件夹之外，请把材料放在报送文件旁的文件夹中',
  'material/missing': '找不到材料“{value}”',
  'material/not-file': '材料“{value}”不是文件',

  // ── campaign rules ──
  'rule/failed': '{message}（{left} = {leftValue}，{right} = {rightValue}）',
  'campaign/invalid': '活动配置文件有误：{detail}',
  'campaign/unreadable': '无法读取活动配置文件 {file}',

  // ── usage ──
  'usage/no-files': '请指定要校验的文件，例如：report validate 区市场监管局.yaml',
  'usage/unknown-department': '未知的单位“{value}”，可填写：{valid}',
  'usage/init-which': '请指定单位，或用 --all 生成全部单位的报送模板',
  'usage/exists': '文件已存在，未覆盖：{file}',
  'usage/as-of': '--as-of 的时间无法识别：“{value}”，请写成 2024-11-12T18:00 或 2024-11-12（北京时间）',
  'usage/not-a-dir': '不是文件夹：{path}',
  'usage/output-exists': '输出文件已存在：{file}。如需覆盖请加 --force',
  'usage/output-in-submissions': '输出文件不能放在报送文件夹 {dir} 中，否则会被当成报送文件',
  'usage/template': '无法读取模板 {file}：{reason}',
  'usage/template-no-sheet': '模板 {file} 中找不到统计表（含“单位”表头和指标名称的工作表）',
  'usage/write-failed': '写入 {file} 失败：{reason}',
  'internal/bug': '程序内部错误（这是缺陷，请把以下信息反馈给开发者）：',

  // ── human output ──
  'ui/ok': '通过',
  'ui/errors-warnings': '{errors} 个错误，{warnings} 个警告',
  'ui/file-ok': '{file}：校验通过',
  'ui/summary-validate': '共校验 {files} 个文件：{ok} 个通过，{bad} 个有错误',
  'ui/error': '错误',
  'ui/warning': '警告',
  'ui/init-written': '已生成 {file}',
  'ui/init-next': '填写后请运行：report validate {file}',
  'ui/progress-read': '已读取 {done}/{total} 个文件',
  'ui/progress-rows': '已写入 {done} 行',
} as const;
