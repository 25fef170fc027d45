/** Meeting vocabulary shared by server and web (domain.md: 例会 / 专题推进会 / 领导小组会议, 议定事项, 纪要). */
export const MEETING_TYPES = ['regular', 'special', 'leading_group'] as const;
export type MeetingType = (typeof MEETING_TYPES)[number];
export const MEETING_TYPE_LABELS: Record<MeetingType, { zh: string; en: string }> = {
  regular: { zh: '例会', en: 'Regular meeting' },
  special: { zh: '专题推进会', en: 'Special meeting' },
  leading_group: { zh: '会议', en: 'Leading group meeting' },
};

export const MEETING_STATUSES = ['planned', 'held', 'minutes_issued', 'cancelled'] as const;
export type MeetingStatus = (typeof MEETING_STATUSES)[number];
export const MEETING_STATUS_LABELS: Record<MeetingStatus, { zh: string; en: string }> = {
  planned: { zh: '已安排', en: 'Planned' },
  held: { zh: '已召开', en: 'Held' },
  minutes_issued: { zh: '纪要已印发', en: 'Minutes issued' },
  cancelled: { zh: '已取消', en: 'Cancelled' },
};

export const ATTENDANCE_STATUSES = ['present', 'absent', 'substitute'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];
export const ATTENDANCE_LABELS: Record<AttendanceStatus, { zh: string; en: string }> = {
  present: { zh: '出席', en: 'Present' },
  absent: { zh: '缺席', en: 'Absent' },
  substitute: { zh: '代会', en: 'Substitute' },
};

export const AGENDA_KINDS = ['problem', 'project', 'decision', 'custom'] as const;
export type AgendaKind = (typeof AGENDA_KINDS)[number];

export const DECISION_KINDS = ['problem', 'task'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1 → 一, 2 → 二, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (1 … 9999). */
export function chineseNumber(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 9999) return String(n);
  const units = ['', '十', '百', '千'];
  const digits = String(n).split('').map(Number);
  let out = '';
  let zero = false;
  digits.forEach((d, i) => {
    const place = digits.length - 1 - i;
    if (d === 0) {
      zero = out !== '';
      return;
    }
    if (zero) out += '零';
    zero = false;
    out += DIGITS[d]! + units[place]!;
  });
  return out.startsWith('一十') ? out.slice(1) : out;
}

/** 崔寨片区建设指挥部第二次例会; 城市副中心示范区建设领导小组第一次会议; a special meeting adds its subject. */
export function meetingTitle(bodyName: string, type: MeetingType, number: number, subject?: string | null): string {
  const base = `${bodyName}第${chineseNumber(number)}次${MEETING_TYPE_LABELS[type].zh}`;
  return subject ? `${base}（${subject}）` : base;
}
