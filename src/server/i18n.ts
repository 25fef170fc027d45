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
  'field.date_range': { 'zh-CN': '结束日期不能早于开始日期', en: 'The end date cannot be before the start date' },
  'field.export_too_large': { 'zh-CN': '导出超过{{max}}行，请缩小筛选范围', en: 'More than {{max}} rows to export; narrow the filters' },
  'field.duplicate': { 'zh-CN': '重复填写', en: 'Listed more than once' },
  'field.roles_own': { 'zh-CN': '不能修改自己的角色，请由其他系统管理员操作', en: 'You cannot change your own roles; ask another system administrator' },
  'field.disable_self': { 'zh-CN': '不能停用自己的账号', en: 'You cannot disable your own account' },
  'field.reset_self': { 'zh-CN': '不能重置自己的密码，请在个人设置中修改密码', en: 'You cannot reset your own password here; change it under your own account' },
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
