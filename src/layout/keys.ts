/** The keys of a submission and their Chinese names: shared by the schema and the fill-in workbook (no zod here). */

/** Top-level keys, with their Chinese names. */
export const SUBMISSION_KEYS = {
  department: '填报单位',
  filled_by: '填表人',
  reviewed_by: '审核人',
  phone: '联系电话',
  submitted_at: '报送日期',
  statistics: '统计数据',
  tasks: '任务落实情况',
  cases: '典型案例',
  summary: '专项行动总结',
  summary_file: '总结文件',
  materials: '图片视频资料',
  captions: '图片说明',
  leader: '单位负责人',
} as const;
export type SubmissionKey = keyof typeof SUBMISSION_KEYS;

/** Chinese key names a clerk may type instead: suggested, not accepted (the format has one spelling). */
export const CHINESE_KEYS: Record<string, SubmissionKey> = {
  单位: 'department', 部门: 'department', 填报单位: 'department', 报送单位: 'department',
  填表人: 'filled_by', 填报人: 'filled_by', 审核人: 'reviewed_by', 电话: 'phone', 联系电话: 'phone',
  报送日期: 'submitted_at', 报送时间: 'submitted_at', 填报日期: 'submitted_at', 统计: 'statistics', 统计表: 'statistics',
  统计数据: 'statistics', 任务: 'tasks', 重点任务: 'tasks', 案例: 'cases', 典型案例: 'cases', 总结: 'summary',
  工作总结: 'summary', 材料: 'materials', 图片视频: 'materials', 图片视频资料: 'materials',
  单位负责人: 'leader', 负责人: 'leader',
};

export const CASE_KEYS = {
  title: '案例名称',
  task: '任务序号',
  date: '日期',
  summary: '基本案情',
  result: '处理结果',
  fine: '罚没款（万元）',
  exposed: '是否曝光',
  legal_basis: '法律依据',
  significance: '典型意义',
} as const;
