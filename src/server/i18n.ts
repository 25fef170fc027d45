/** Server-side messages in zh-CN (default) and en. The web has its own catalogue for its own words. */
export type Lang = 'zh-CN' | 'en';

type Params = Record<string, string | number>;
type Catalogue = Record<string, { 'zh-CN': string; en: string }>;

const messages: Catalogue = {
  // errors (code → message)
  validation_failed: { 'zh-CN': '提交的内容有误，请检查标出的字段', en: 'Some fields are invalid' },
  unauthenticated: { 'zh-CN': '请先登录', en: 'Please sign in' },
  invalid_credentials: { 'zh-CN': '用户名或密码错误', en: 'Wrong username or password' },
  account_locked: { 'zh-CN': '用户名或密码错误', en: 'Wrong username or password' },
  second_factor_required: { 'zh-CN': '请输入动态验证码', en: 'Enter your authenticator code' },
  second_factor_invalid: { 'zh-CN': '动态验证码错误', en: 'Wrong authenticator code' },
  second_factor_setup_required: { 'zh-CN': '管理员账号必须先绑定动态验证码', en: 'Admin accounts must set up an authenticator first' },
  password_change_required: { 'zh-CN': '请先修改密码', en: 'Please change your password first' },
  forbidden: { 'zh-CN': '没有权限执行此操作', en: 'You are not allowed to do this' },
  not_found: { 'zh-CN': '找不到该记录', en: 'Not found' },
  route_not_found: { 'zh-CN': '接口不存在', en: 'No such endpoint' },
  version_conflict: { 'zh-CN': '该记录已被{{by}}于{{at}}修改，请刷新后重试', en: 'This record was changed by {{by}} at {{at}}; reload and try again' },
  conflict: { 'zh-CN': '与现有数据冲突', en: 'Conflicts with existing data' },
  action_wrong_state: { 'zh-CN': '该问题当前为“{{state}}”，不能{{action}}', en: 'The problem is {{stateEn}}; “{{actionEn}}” is not possible now' },
  action_request_pending: { 'zh-CN': '已有待审批的延期或挂起申请，请等指挥部处理后再提交', en: 'An extension or suspension request is already waiting for the HQ' },
  action_no_request: { 'zh-CN': '没有待审批的申请', en: 'There is no request to decide' },
  duplicate: { 'zh-CN': '已存在相同的记录', en: 'A record like this already exists' },
  idempotency_mismatch: { 'zh-CN': '同一个幂等键不能用于不同的请求', en: 'This Idempotency-Key was used for a different request' },
  rate_limited: { 'zh-CN': '请求过于频繁，请稍后再试', en: 'Too many requests; try again later' },
  cross_site_request: { 'zh-CN': '拒绝跨站请求', en: 'Cross-site request refused' },
  setup_done: { 'zh-CN': '系统已初始化', en: 'This instance is already set up' },
  payload_too_large: { 'zh-CN': '上传内容过大', en: 'The upload is too large' },
  unsupported_media_type: { 'zh-CN': '不支持的内容类型', en: 'Unsupported content type' },
  internal: { 'zh-CN': '服务器内部错误，请稍后再试', en: 'Internal error; try again later' },
  bad_request: { 'zh-CN': '请求格式错误', en: 'Malformed request' },

  // field messages (validation keywords and domain rules)
  'field.required': { 'zh-CN': '必填', en: 'Required' },
  'field.unknown': { 'zh-CN': '不允许的字段', en: 'Unknown field' },
  'field.type': { 'zh-CN': '类型应为{{type}}', en: 'Must be of type {{type}}' },
  'field.min_length': { 'zh-CN': '至少{{limit}}个字符', en: 'At least {{limit}} characters' },
  'field.max_length': { 'zh-CN': '最多{{limit}}个字符', en: 'At most {{limit}} characters' },
  'field.minimum': { 'zh-CN': '不能小于{{limit}}', en: 'Must be at least {{limit}}' },
  'field.maximum': { 'zh-CN': '不能大于{{limit}}', en: 'Must be at most {{limit}}' },
  'field.pattern': { 'zh-CN': '格式不正确', en: 'Wrong format' },
  'field.format': { 'zh-CN': '格式不正确（{{format}}）', en: 'Wrong format ({{format}})' },
  'field.enum': { 'zh-CN': '取值不在允许范围内', en: 'Not one of the allowed values' },
  'field.invalid': { 'zh-CN': '取值无效', en: 'Invalid value' },
  'field.min_items': { 'zh-CN': '至少{{limit}}项', en: 'At least {{limit}} items' },
  'field.max_items': { 'zh-CN': '最多{{limit}}项', en: 'At most {{limit}} items' },
  'field.credit_code.length': { 'zh-CN': '统一社会信用代码应为18位', en: 'A unified social credit code has 18 characters' },
  'field.credit_code.characters': { 'zh-CN': '统一社会信用代码含有无效字符', en: 'The credit code has characters it cannot contain' },
  'field.credit_code.check_character': { 'zh-CN': '统一社会信用代码校验位不正确', en: 'The credit code check character is wrong' },
  'field.password.too_short': { 'zh-CN': '密码至少{{min}}位', en: 'The password needs at least {{min}} characters' },
  'field.password.too_long': { 'zh-CN': '密码最多{{max}}位', en: 'The password may have at most {{max}} characters' },
  'field.password.too_few_classes': {
    'zh-CN': '密码须包含大写字母、小写字母、数字、符号中的至少{{min}}类',
    en: 'The password needs at least {{min}} of: lower case, upper case, digits, symbols',
  },
  'field.password.same_as_old': { 'zh-CN': '新密码不能与原密码相同', en: 'The new password must differ from the old one' },
  'field.password.wrong': { 'zh-CN': '原密码不正确', en: 'The current password is wrong' },
  'field.phone': { 'zh-CN': '手机号码格式不正确', en: 'Not a valid mobile number' },
  'field.id_number': { 'zh-CN': '身份证号码格式不正确', en: 'Not a valid ID number' },
  'field.taken': { 'zh-CN': '已被使用', en: 'Already taken' },
  'field.not_found': { 'zh-CN': '引用的记录不存在', en: 'Refers to a record that does not exist' },
  'field.parent_kind': { 'zh-CN': '{{parent}}下不能设立{{child}}', en: 'A {{child}} cannot sit under a {{parent}}' },
  'field.parent_cycle': { 'zh-CN': '不能把单位移到它自己的下级', en: 'A unit cannot move under its own descendant' },
  'field.roles_conflict': {
    'zh-CN': '三员分立：管理员角色不能与其他角色兼任',
    en: 'Separation of duties: an admin role cannot be combined with any other role',
  },
  'field.totp_code': { 'zh-CN': '动态验证码错误', en: 'Wrong authenticator code' },
  'field.has_children': { 'zh-CN': '该单位下还有下级单位', en: 'The unit still has sub-units' },
  'field.in_use': { 'zh-CN': '仍被其他数据引用，不能删除', en: 'Still referred to elsewhere; cannot delete' },
  'field.meeting_body': { 'zh-CN': '请选择召开会议的指挥部或领导小组（二者选一）', en: 'Choose the HQ or the leading group holding the meeting (one of them)' },
  'field.meeting_type': { 'zh-CN': '领导小组只召开领导小组会议，指挥部召开例会或专题推进会', en: 'The leading group holds leading-group meetings; an HQ holds regular or special meetings' },
  'field.minutes_frozen': { 'zh-CN': '纪要已印发，修改须填写修订原因（将形成新版本）', en: 'The minutes are issued; give a revision reason (the change becomes a new version)' },
  'field.minutes_unchanged': { 'zh-CN': '纪要自上次印发后没有修改', en: 'The minutes have not changed since they were issued' },
  'field.minutes_draft_or_version': { 'zh-CN': '请选择已印发的版本或草稿，二者选一', en: 'Ask for an issued version or the draft, not both' },
  'field.not_a_task': { 'zh-CN': '该议定事项已转为问题，请在问题闭环中办理', en: 'This decision became a problem; handle it in the closed loop' },
  'field.date_past': { 'zh-CN': '日期不能早于今天', en: 'The date cannot be in the past' },
  'field.deadline_one': { 'zh-CN': '请填写办理时限（工作日数）或截止日期，二者选一', en: 'Give either the working days allowed or a deadline date, not both' },
  'field.deadline_later': { 'zh-CN': '新的截止日期应晚于当前截止日期 {{deadline}}', en: 'The new deadline must be after the current one ({{deadline}})' },
  'field.not_this_problem': { 'zh-CN': '附件不属于该问题，请先上传到该问题', en: 'The file does not belong to this problem; upload it to the problem first' },
  'field.merge_target': { 'zh-CN': '只能并入本指挥部另一个未办结的问题', en: 'Merge only into another open problem of an HQ you belong to' },
  'field.lead_not_cooperating': { 'zh-CN': '承办单位不能同时是协办单位', en: 'The lead unit cannot also be a cooperating unit' },
  'field.command_required': { 'zh-CN': '请选择负责的指挥部', en: 'Choose the HQ responsible' },
  'field.date_range': { 'zh-CN': '结束日期不能早于开始日期', en: 'The end date cannot be before the start date' },
  // notifications and chasing (notifications/robots.service.ts, problems/settings.routes.ts)
  'field.webhook': { 'zh-CN': '请填写机器人的 Webhook 地址（http 或 https 开头）', en: "Give the robot's webhook URL (http or https)" },
  'field.escalate_order': { 'zh-CN': '提请区领导督办的天数不能少于提请指挥长督办的天数', en: 'Escalation to the leaders cannot come before escalation to the HQ commander' },
  'field.briefing_series': { 'zh-CN': '无权订阅该简报（只能订阅本人可查看的驾驶舱范围）', en: 'You cannot subscribe to this briefing series (only to the cockpit scopes you may open)' },
  'field.period_too_long': { 'zh-CN': '统计期不能超过{{max}}年', en: 'The period cannot be longer than {{max}} years' },
  'field.export_too_large': { 'zh-CN': '导出超过{{max}}行，请缩小筛选范围', en: 'More than {{max}} rows to export; narrow the filters' },
  'field.duplicate': { 'zh-CN': '重复填写', en: 'Listed more than once' },
  'field.roles_own': { 'zh-CN': '不能修改自己的角色，请由其他系统管理员操作', en: 'You cannot change your own roles; ask another system administrator' },
  'field.disable_self': { 'zh-CN': '不能停用自己的账号', en: 'You cannot disable your own account' },
  'field.reset_self': { 'zh-CN': '不能重置自己的密码，请在个人设置中修改密码', en: 'You cannot reset your own password here; change it under your own account' },
  // monthly reports (reports.service.ts)
  'field.future_month': { 'zh-CN': '不能填报未来月份', en: 'Cannot report on a month that has not begun' },
  // key-project ledger (projects.rules.ts, projects.service.ts, dictionaries.service.ts)
  'field.project.not_suspendable': { 'zh-CN': '“{{phaseZh}}”阶段的项目不能停缓建', en: 'A project in phase {{phaseEn}} cannot be suspended' },
  'field.project.date_for_phase': { 'zh-CN': '项目处于“{{phaseZh}}”阶段，必须填写该日期', en: 'Required for a project in phase {{phaseEn}}' },
  'field.project.only_when_suspended': { 'zh-CN': '仅停缓建项目填写', en: 'Only for a suspended project' },
  'field.project.date_beyond_phase': { 'zh-CN': '项目尚未进入“{{phaseZh}}”阶段，不能填写该日期', en: 'The project has not reached {{phaseEn}}; leave this date empty' },
  'field.project.future_date': { 'zh-CN': '不能晚于今天', en: 'Cannot be in the future' },
  'field.project.date_order': { 'zh-CN': '不能早于前一阶段的日期（{{date}}）', en: 'Cannot be before the date of an earlier phase ({{date}})' },
  'field.project.place_command': { 'zh-CN': '只能选择您所在的指挥部', en: 'Choose one of your own HQs' },
  'field.project.place_unit': { 'zh-CN': '责任单位只能是您所在的单位或其下级单位', en: 'The lead unit must be your unit or a unit below it' },
  'field.project.not_cluster': { 'zh-CN': '请选择一个组团', en: 'Choose a cluster' },
  'field.project.not_area': { 'zh-CN': '请选择一个片区', en: 'Choose an area' },
  'field.project.longitude': { 'zh-CN': '经度应在-180到180之间', en: 'Longitude must be between -180 and 180' },
  'field.project.latitude': { 'zh-CN': '纬度应在-90到90之间', en: 'Latitude must be between -90 and 90' },
  'field.project.delete_phase': { 'zh-CN': '只能删除处于“储备”阶段的项目', en: 'Only a project in the pipeline can be deleted' },
  'field.project.plan_needs_year': { 'zh-CN': '请同时填写计划年度', en: 'Give the year of the plan too' },
  'field.dictionary.inactive': { 'zh-CN': '该选项已停用', en: 'This value is no longer in use' },
  'field.phase.same_phase': { 'zh-CN': '项目已处于“{{fromZh}}”阶段，不能再变更为“{{toZh}}”', en: 'The project is already {{fromEn}}; it cannot move to {{toEn}}' },
  'field.phase.not_allowed': { 'zh-CN': '项目不能从“{{fromZh}}”变更为“{{toZh}}”', en: 'A project cannot move from {{fromEn}} to {{toEn}}' },
  'field.phase.not_suspended_from': {
    'zh-CN': '停缓建项目只能恢复到停建前的“{{resumeZh}}”阶段，不能从“{{fromZh}}”变更为“{{toZh}}”',
    en: 'A suspended project resumes to {{resumeEn}}, the phase it was suspended from; it cannot move from {{fromEn}} to {{toEn}}',
  },
  'field.phase.on_before': { 'zh-CN': '不能早于项目进入“{{fromZh}}”阶段的日期（{{date}}）', en: 'Cannot be before the day the project became {{fromEn}} ({{date}})' },
  'field.phase.reason_required': { 'zh-CN': '停缓建须填写原因', en: 'Give the reason for suspending the project' },
  // files (files.sniff.ts, files.service.ts, files.routes.ts)
  'file.too_large': { 'zh-CN': '文件超过{{max}}，请压缩或拆分后再上传', en: 'The file is larger than {{max}}; compress or split it and upload again' },
  'file.too_many': { 'zh-CN': '一次只能上传一个文件', en: 'Upload one file at a time' },
  'file.multipart_required': { 'zh-CN': '请以表单（multipart/form-data）上传，文件字段名为 file', en: 'Send multipart/form-data with the file in a field named "file"' },
  'file.empty': { 'zh-CN': '文件是空的', en: 'The file is empty' },
  'file.type_unknown': {
    'zh-CN': '无法识别文件类型。只能上传 JPEG、PNG、WebP、GIF 图片和 PDF、Word（doc/docx）、Excel（xls/xlsx）文档',
    en: 'The file type is not recognised. Allowed: JPEG, PNG, WebP and GIF images; PDF, Word (doc/docx) and Excel (xls/xlsx) documents',
  },
  'file.type_not_allowed': {
    'zh-CN': '不支持此类文件（{{actual}}）。只能上传 JPEG、PNG、WebP、GIF 图片和 PDF、Word（doc/docx）、Excel（xls/xlsx）文档',
    en: 'Files of this type ({{actual}}) are not accepted. Allowed: JPEG, PNG, WebP and GIF images; PDF, Word (doc/docx) and Excel (xls/xlsx) documents',
  },
  'file.type_mismatch': {
    'zh-CN': '文件名后缀为 .{{ext}}，但文件内容是 {{actual}}，请确认文件后重新上传',
    en: 'The name ends in .{{ext}} but the content is {{actual}}; check the file and upload it again',
  },
  'file.zip_too_many_entries': { 'zh-CN': '文档内部包含超过{{max}}个文件，疑似压缩炸弹，已拒绝', en: 'The document holds more than {{max}} parts; refused as a possible decompression bomb' },
  'file.zip_too_large': { 'zh-CN': '文档解压后超过{{max}}，疑似压缩炸弹，已拒绝', en: 'Uncompressed, the document would exceed {{max}}; refused as a possible decompression bomb' },
  'file.corrupt': { 'zh-CN': '文件已损坏或不完整，无法读取', en: 'The file is damaged or incomplete and cannot be read' },
  'file.image_unreadable': { 'zh-CN': '图片无法读取（已损坏或尺寸过大）', en: 'The image cannot be read (damaged or too large)' },
  // Excel import of the ledger (lib/upload.ts, projects/import.*)
  'upload.missing': { 'zh-CN': '请选择要上传的 Excel 文件（表单字段 file）', en: 'Choose an Excel file to upload (form field "file")' },
  'upload.unreadable': { 'zh-CN': '上传内容不完整或格式错误，请重新上传', en: 'The upload was incomplete or malformed; upload it again' },
  'upload.empty': { 'zh-CN': '文件是空的', en: 'The file is empty' },
  'upload.too_large': { 'zh-CN': '文件超过 {{max}}，请拆分后分批导入', en: 'The file is larger than {{max}}; split it and import the parts' },
  'upload.not_xlsx': { 'zh-CN': '文件不是 Excel 工作簿（.xlsx），请使用导入模板填写后上传', en: 'The file is not an Excel workbook (.xlsx); fill in the import template and upload that' },
  'upload.xls_or_encrypted': {
    'zh-CN': '文件是旧版 .xls 格式或设置了打开密码，请在 Excel 中另存为不加密的 .xlsx 后上传',
    en: 'The file is an old .xls workbook or is password-protected; save it as an unprotected .xlsx and upload that',
  },
  'upload.too_many_entries': { 'zh-CN': '文件内部结构异常（部件超过 {{max}} 个），已拒绝', en: 'The file was refused: it holds more than {{max}} parts' },
  'upload.bomb': { 'zh-CN': '文件解压后超过 {{max}}，已拒绝（可能是压缩炸弹）', en: 'The file was refused: it unpacks to more than {{max}} (a possible decompression bomb)' },
  'upload.corrupt': { 'zh-CN': '文件已损坏或结构异常，请在 Excel 中重新保存后上传', en: 'The file is damaged or malformed; save it again in Excel and upload that' },
  'import.file.no_sheet': { 'zh-CN': '文件中没有找到含“项目编号”“项目名称”列的工作表，请使用导入模板', en: 'No sheet with the columns 项目编号 and 项目名称 was found; use the import template' },
  'import.file.no_header': { 'zh-CN': '“项目台账”工作表的前几行中没有列名，请使用导入模板', en: 'The sheet 项目台账 has no header row at the top; use the import template' },
  'import.file.missing_column': { 'zh-CN': '缺少必填列“{{column}}”', en: 'The required column {{column}} is missing' },
  'import.file.too_many_rows': { 'zh-CN': '一次最多导入 {{max}} 行，请拆分后分批导入', en: 'At most {{max}} rows can be imported at once; split the file' },
  'import.file.no_rows': { 'zh-CN': '文件中没有项目数据', en: 'The file holds no project rows' },
  'import.file.unreadable': { 'zh-CN': '无法读取文件内容，请在 Excel 中重新保存后上传', en: 'The file could not be read; save it again in Excel and upload that' },
  'import.interrupted': { 'zh-CN': '校验被中断（服务已重启），请重新上传', en: 'The check was interrupted (the service restarted); upload the file again' },
  'import.cell.required': { 'zh-CN': '必填', en: 'Required' },
  'import.cell.too_long': { 'zh-CN': '最多{{max}}个字符', en: 'At most {{max}} characters' },
  'import.cell.error_value': { 'zh-CN': '单元格为错误值 {{value}}', en: 'The cell holds the error value {{value}}' },
  'import.cell.formula_no_result': {
    'zh-CN': '公式没有计算结果，请将该列“粘贴为数值”后再导入',
    en: 'The formula has no computed result; paste the column as values and import again',
  },
  'import.cell.formula_error': {
    'zh-CN': '公式的计算结果是错误值，请修正公式或填写数值',
    en: 'The formula evaluates to an error; correct it or type the value',
  },
  'import.cell.date': { 'zh-CN': '日期格式不正确，应为 2026-04-25、2026/4/25 或 2026年4月25日', en: 'Not a date; use 2026-04-25, 2026/4/25 or 2026年4月25日' },
  'import.cell.money_format': { 'zh-CN': '金额应为以亿元为单位的数字，如 12.5', en: 'Give the amount as a number in 亿元 (100 million yuan), e.g. 12.5' },
  'import.cell.money_negative': { 'zh-CN': '金额不能为负数', en: 'The amount cannot be negative' },
  'import.cell.money_precision': { 'zh-CN': '金额最多保留6位小数（亿元，即精确到百元）', en: 'At most 6 decimals in 亿元 (to the hundred yuan)' },
  'import.cell.money_too_large': { 'zh-CN': '金额过大', en: 'The amount is too large' },
  'import.cell.year': { 'zh-CN': '年度应为2000至2100之间的年份，如 2026', en: 'Give a year between 2000 and 2100, e.g. 2026' },
  'import.ref.enterprise': { 'zh-CN': '企业库中没有“{{value}}”，请填写已登记企业的名称或统一社会信用代码', en: 'No enterprise "{{value}}" is registered; give a registered name or credit code' },
  'import.ref.dictionary': { 'zh-CN': '“{{value}}”不是可选的值，请从下拉列表选择', en: '"{{value}}" is not one of the allowed values; choose from the drop-down list' },
  'import.ref.level': { 'zh-CN': '“{{value}}”不是有效级别，应为省重点、市重点或区重点', en: '"{{value}}" is not a level; use 省重点, 市重点 or 区重点' },
  'import.ref.phase': { 'zh-CN': '“{{value}}”不是有效阶段，应为储备、签约、开工、投产、竣工或停缓建', en: '"{{value}}" is not a phase; use 储备, 签约, 开工, 投产, 竣工 or 停缓建' },
  'import.ref.cluster': { 'zh-CN': '没有名为“{{value}}”的组团', en: 'No cluster is named "{{value}}"' },
  'import.ref.area': { 'zh-CN': '没有名为“{{value}}”的片区', en: 'No area is named "{{value}}"' },
  'import.ref.area_not_in_cluster': { 'zh-CN': '片区“{{value}}”不属于所填组团', en: 'The area "{{value}}" is not in the cluster given' },
  'import.ref.command': { 'zh-CN': '没有名为“{{value}}”的指挥部', en: 'No HQ is named "{{value}}"' },
  'import.ref.unit': { 'zh-CN': '没有名为“{{value}}”的单位', en: 'No unit is named "{{value}}"' },
  'import.ref.leader': { 'zh-CN': '没有姓名或账号为“{{value}}”的人员', en: 'Nobody has the name or username "{{value}}"' },
  'import.ref.leader_ambiguous': { 'zh-CN': '有多位人员名为“{{value}}”，请填写其登录账号', en: 'Several people are named "{{value}}"; give the username' },
  'import.ref.ambiguous': { 'zh-CN': '名称“{{value}}”对应多条记录，请从下拉列表选择', en: 'Several records are named "{{value}}"; choose from the drop-down list' },
  'import.ref.task_force': { 'zh-CN': '没有名为“{{value}}”的专班', en: 'No task force is named "{{value}}"' },
  'import.row.no_write': { 'zh-CN': '项目“{{value}}”已存在，但不在您负责的范围内，不能修改', en: 'Project {{value}} exists but is not yours to change' },
  'import.row.place_required': { 'zh-CN': '请填写您所在的指挥部或责任单位', en: 'Give one of your HQs or your unit' },
  'import.row.duplicate_code': { 'zh-CN': '与第{{first}}行的项目编号重复', en: 'Same project code as row {{first}}' },
  'import.row.duplicated_later': { 'zh-CN': '项目编号在第{{row}}行重复出现', en: 'This project code appears again in row {{row}}' },
  'import.busy': { 'zh-CN': '您已有导入正在校验，请等校验完成后再上传', en: 'You already have imports being checked; wait for them to finish before uploading more' },
  'import.not_ready': { 'zh-CN': '导入尚未校验完成或校验失败，不能确认', en: 'The import is still being checked or has failed; it cannot be confirmed' },
  'import.already_applied': { 'zh-CN': '该导入已确认过，不能重复导入', en: 'This import has already been applied' },
  'import.nothing_to_apply': { 'zh-CN': '没有可导入的有效行，请修改文件后重新上传', en: 'No valid rows to import; correct the file and upload it again' },
  'import.stale': {
    'zh-CN': '第{{row}}行：校验后台账数据已有变化，本次导入未写入任何数据，请重新上传文件',
    en: 'Row {{row}}: the ledger changed after the check; nothing was imported — upload the file again',
  },
  // Economic indicators (modules/indicators)
  'indicators.inactive_indicator': { 'zh-CN': '该指标已停用', en: 'This indicator is no longer in use' },
  'indicators.inactive_district': { 'zh-CN': '该地区已停用', en: 'This district is no longer in use' },
  'indicators.future_period': { 'zh-CN': '统计期{{period}}尚未结束，不能填报', en: 'The period {{period}} has not ended yet' },
  'indicators.growth_only': { 'zh-CN': '该指标只公布增速，请只填同比增长', en: 'Only the growth of this indicator is published; leave the value empty' },
  'indicators.figure_required': { 'zh-CN': '请填写本期累计或同比增长', en: 'Give the cumulative value or the growth' },
  'indicators.duplicate_entry': { 'zh-CN': '与第{{first}}条是同一指标、地区和统计期', en: 'Same indicator, district and period as entry {{first}}' },
  'indicators.cell.value_format': { 'zh-CN': '本期累计应为数字，如 120.5', en: 'The cumulative value must be a number, e.g. 120.5' },
  'indicators.cell.value_negative': { 'zh-CN': '本期累计不能为负数', en: 'The cumulative value cannot be negative' },
  'indicators.cell.value_precision': { 'zh-CN': '本期累计最多保留4位小数', en: 'At most 4 decimals in the cumulative value' },
  'indicators.cell.value_too_large': { 'zh-CN': '本期累计过大', en: 'The cumulative value is too large' },
  'indicators.cell.growth_format': { 'zh-CN': '同比增长应为百分数，如 11.6 或 11.6%', en: 'The growth must be a percentage, e.g. 11.6 or 11.6%' },
  'indicators.cell.growth_precision': { 'zh-CN': '同比增长最多保留2位小数', en: 'At most 2 decimals in the growth' },
  'indicators.cell.growth_range': { 'zh-CN': '同比增长超出范围（绝对值应小于100000%）', en: 'The growth is out of range (under 100000% either way)' },
  'indicators.import.sheet_unknown': {
    'zh-CN': '无法识别工作表“{{sheet}}”：表名应为统计期（如“2023年1-5月”），或第1行为“指标、地区、年份、月份、本期累计、同比增长(%)”等列名',
    en: 'Sheet "{{sheet}}" was not recognised: name it after the period (e.g. 2023年1-5月), or give it the columns 指标, 地区, 年份, 月份, 本期累计, 同比增长(%)',
  },
  'indicators.import.not_cumulative': {
    'zh-CN': '工作表“{{sheet}}”的统计期应为从1月起的累计期，如“2023年1-5月”',
    en: 'The period of sheet "{{sheet}}" must run from January, e.g. 2023年1-5月',
  },
  'indicators.import.period_range': { 'zh-CN': '工作表“{{sheet}}”的统计期无效（年份2000至2100，月份1至12）', en: 'The period of sheet "{{sheet}}" is invalid (years 2000–2100, months 1–12)' },
  'indicators.import.not_cumulative_cell': { 'zh-CN': '统计期应为从1月起的累计期，如“2023年1-5月”', en: 'The period must run from January, e.g. 2023年1-5月' },
  'indicators.import.period_cell': { 'zh-CN': '统计期格式不正确，应如“2023年1-5月”', en: 'Not a period; write it like 2023年1-5月' },
  'indicators.import.no_districts': { 'zh-CN': '工作表前10行中没有找到地区名称（如 起步区、历下区）', en: 'No district name (起步区, 历下区, …) was found in the first 10 rows' },
  'indicators.import.unknown_district': { 'zh-CN': '“{{value}}”不是已设置的地区，请改为已有地区名称或先在地区设置中添加', en: '"{{value}}" is not one of the districts set up; use a known name or add it first' },
  'indicators.import.duplicate_district': { 'zh-CN': '地区“{{value}}”在本表中重复出现', en: 'The district "{{value}}" appears twice in this sheet' },
  'indicators.import.unknown_subheader': { 'zh-CN': '无法识别列名“{{value}}”，应为“本期累计”或“同比增长(%)”', en: 'Column "{{value}}" was not recognised: use 本期累计 or 同比增长(%)' },
  'indicators.import.pair_unclear': {
    'zh-CN': '地区“{{value}}”下应有“本期累计”和“同比增长(%)”两列（在地区名称下一行写明列名）',
    en: 'The district "{{value}}" needs the two columns 本期累计 and 同比增长(%) (named in the row under it)',
  },
  'indicators.import.unknown_indicator': { 'zh-CN': '“{{value}}”不是已设置的指标', en: '"{{value}}" is not one of the indicators set up' },
  'indicators.import.no_indicator': { 'zh-CN': '该行有数据但没有指标名称', en: 'This row has figures but no indicator name' },
  'indicators.import.unit_mismatch': { 'zh-CN': '计量单位为“{{value}}”，该指标应为“{{expected}}”', en: 'The unit is "{{value}}"; this indicator is in {{expected}}' },
  'indicators.import.duplicate': {
    'zh-CN': '与工作表“{{sheet}}”第{{row}}行的数据重复（同一指标、地区和统计期）',
    en: 'Same indicator, district and period as sheet "{{sheet}}" row {{row}}',
  },
  'indicators.import.missing_column': { 'zh-CN': '缺少“{{column}}”列', en: 'The column {{column}} is missing' },
  'indicators.import.year': { 'zh-CN': '年份应为2000至2100之间的年份，如 2023', en: 'Give a year between 2000 and 2100, e.g. 2023' },
  'indicators.import.month': { 'zh-CN': '月份应为1至12，或“1-5月”这样从1月起的累计期', en: 'Give a month 1–12, or a period from January such as 1-5月' },
  'indicators.import.too_many_rows': { 'zh-CN': '一次最多导入 {{max}} 行', en: 'At most {{max}} rows can be imported at once' },
  'indicators.import.no_data': { 'zh-CN': '文件中没有找到指标数据，请使用导入模板', en: 'The file holds no indicator figures; use the import template' },
};

function interpolate(template: string, params: Params | undefined): string {
  if (!params) return template;
  return template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(params[k] ?? ''));
}

export function t(lang: Lang, key: string, params?: Params): string {
  const entry = messages[key];
  if (!entry) return key;
  return interpolate(entry[lang], params);
}

export function hasMessage(key: string): boolean {
  return key in messages;
}

/** zh-CN unless the client prefers English (Accept-Language: en, en-US, …) over Chinese. */
export function pickLang(acceptLanguage: string | undefined): Lang {
  if (!acceptLanguage) return 'zh-CN';
  const prefs = acceptLanguage
    .split(',')
    .map((part) => {
      const [tag = '', ...rest] = part.trim().split(';');
      const q = rest.find((p) => p.trim().startsWith('q='));
      return { tag: tag.toLowerCase(), q: q ? Number(q.trim().slice(2)) || 0 : 1 };
    })
    .filter((p) => p.tag.startsWith('en') || p.tag.startsWith('zh'))
    .sort((a, b) => b.q - a.q);
  return prefs[0]?.tag.startsWith('en') ? 'en' : 'zh-CN';
}
