import { useEffect, useState } from 'react';
import { Col, DatePicker, Form, Input, InputNumber, Radio, Row, Select, Tag, Typography, Upload, type UploadFile } from 'antd';
import { CameraOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import { ESCALATION_LABELS, ESCALATION_LEVELS, type EscalationLevel } from '../../../shared/problem-flow.ts';
import { useAddWorkdays, type Assignment } from '../../api/problems.ts';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.tsx';
import { useIsMobile } from '../../components/useIsMobile.ts';
import { pick, useLang } from '../../i18n/index.ts';
import { todayInZone } from '../../components/format.ts';
import { UnitsSelect } from './pickers.tsx';

export const MAX_PHOTOS = 9;
const MAX_PHOTO_BYTES = 20 * 1024 * 1024;

/** What the assignment fields hold in a form (under a name prefix). */
export interface AssignmentValues {
  leadUnitId?: string;
  cooperatingUnitIds?: string[];
  deadlineMode?: 'workdays' | 'date' | 'keep';
  deadlineWorkdays?: number | null;
  deadline?: Dayjs | null;
  escalation?: EscalationLevel;
  externalUnit?: string;
  instruction?: string;
}

export const DEFAULT_ASSIGNMENT: AssignmentValues = { deadlineMode: 'workdays', deadlineWorkdays: 5, escalation: 'zone', cooperatingUnitIds: [] };

/** The API's Assignment from the form's values (exactly one of deadlineWorkdays and deadline). */
export function toAssignment(v: AssignmentValues): Assignment {
  const a: Assignment = { leadUnitId: v.leadUnitId! };
  if (v.cooperatingUnitIds?.length) a.cooperatingUnitIds = v.cooperatingUnitIds;
  if (v.deadlineMode === 'date') {
    if (v.deadline) a.deadline = v.deadline.format('YYYY-MM-DD');
  } else if (v.deadlineWorkdays) a.deadlineWorkdays = v.deadlineWorkdays;
  if (v.escalation) a.escalation = v.escalation;
  if (v.escalation && v.escalation !== 'zone' && v.externalUnit?.trim()) a.externalUnit = v.externalUnit.trim();
  if (v.instruction?.trim()) a.instruction = v.instruction.trim();
  return a;
}

const WEEKDAYS_ZH = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];
const WEEKDAYS_EN = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export function weekday(date: string, lang: 'zh-CN' | 'en'): string {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return (lang === 'en' ? WEEKDAYS_EN : WEEKDAYS_ZH)[d] ?? '';
}

/** "截止 2026-05-20（周三）": the deadline N working days from today, from the zone's calendar. */
export function WorkdaysPreview({ days }: { days: number | null | undefined }) {
  const { t } = useTranslation();
  const lang = useLang();
  const today = todayInZone();
  const { data, isFetching, error } = useAddWorkdays(today, days);
  if (!days) return null;
  if (error) return <Typography.Text type="secondary">{t('problems.form.previewFailed')}</Typography.Text>;
  if (!data || isFetching) return <Typography.Text type="secondary">{t('problems.form.previewing')}</Typography.Text>;
  return (
    <span data-testid="deadline-preview">
      {t('problems.form.deadlineIs', { date: data.date, weekday: weekday(data.date, lang) })}
      {data.provisional && (
        <Tag color="warning" bordered={false} style={{ marginInlineStart: 6 }}>
          {t('problems.provisional')}
        </Tag>
      )}
    </span>
  );
}

/**
 * 交办: lead unit, cooperating units, deadline by working days (with the date it comes to) or by date, escalation and
 * the instruction. Field names under `prefix` match the API's (`assign.leadUnitId` …) so server errors land on them.
 */
export function AssignmentFields({ prefix, reassign, required = true }: { prefix: (string | number)[]; reassign?: boolean; required?: boolean }) {
  const { t } = useTranslation();
  const lang = useLang();
  const form = Form.useFormInstance();
  const name = (k: keyof AssignmentValues) => [...prefix, k];
  const mode = Form.useWatch(name('deadlineMode'), form) as AssignmentValues['deadlineMode'];
  const days = Form.useWatch(name('deadlineWorkdays'), form) as number | null | undefined;
  const lead = Form.useWatch(name('leadUnitId'), form) as string | undefined;
  const escalation = Form.useWatch(name('escalation'), form) as EscalationLevel | undefined;
  const today = todayInZone();
  const mobile = useIsMobile();
  return (
    <Row gutter={16}>
      <Col xs={24} md={12}>
        <Form.Item name={name('leadUnitId')} label={t('problems.fields.leadUnit')} rules={required ? [{ required: true, message: t('problems.form.leadUnitRequired') }] : []}>
          <UnitTreeSelect placeholder={t('problems.form.leadUnitPlaceholder')} data-testid="assign-lead-unit" />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item name={name('cooperatingUnitIds')} label={t('problems.fields.cooperatingUnits')}>
          <UnitsSelect placeholder={t('problems.form.cooperatingPlaceholder')} exclude={lead} testId="assign-cooperating" />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item label={t('problems.fields.deadline')} required={required && !reassign} style={{ marginBottom: 8 }}>
          <Form.Item name={name('deadlineMode')} noStyle>
            <Radio.Group
              optionType="button"
              size="small"
              options={[
                { value: 'workdays', label: t('problems.form.byWorkdays') },
                { value: 'date', label: t('problems.form.byDate') },
                ...(reassign ? [{ value: 'keep', label: t('problems.form.keepDeadline') }] : []),
              ]}
              data-testid="assign-deadline-mode"
            />
          </Form.Item>
        </Form.Item>
        {mode === 'date' ? (
          <Form.Item name={name('deadline')} rules={[{ required: true, message: t('problems.form.deadlineRequired') }]}>
            <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.format('YYYY-MM-DD') < today} inputReadOnly={mobile} data-testid="assign-deadline" />
          </Form.Item>
        ) : mode === 'workdays' ? (
          <Form.Item
            name={name('deadlineWorkdays')}
            rules={[{ required: true, message: t('problems.form.workdaysRequired') }]}
            extra={<WorkdaysPreview days={days} />}
          >
            <InputNumber min={1} max={250} precision={0} style={{ width: '100%' }} suffix={t('problems.form.workdaysUnit')} inputMode="numeric" data-testid="assign-workdays" />
          </Form.Item>
        ) : null}
      </Col>
      {!reassign && (
        <Col xs={24} md={12}>
          <Form.Item name={name('escalation')} label={t('problems.fields.escalation')}>
            <Select options={ESCALATION_LEVELS.map((e) => ({ value: e, label: pick(ESCALATION_LABELS[e], lang) }))} />
          </Form.Item>
          {escalation && escalation !== 'zone' && (
            <Form.Item name={name('externalUnit')} label={t('problems.fields.externalUnit')} rules={[{ max: 100 }]}>
              <Input placeholder={t('problems.form.externalUnitPlaceholder')} />
            </Form.Item>
          )}
        </Col>
      )}
      {!reassign && (
        <Col xs={24}>
          <Form.Item name={name('instruction')} label={t('problems.fields.instruction')} rules={[{ max: 2000 }]}>
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} placeholder={t('problems.form.instructionPlaceholder')} data-testid="assign-instruction" />
          </Form.Item>
        </Col>
      )}
    </Row>
  );
}

/** Photos chosen on this device (the camera on a phone); uploaded by whoever sends the form. */
export function PhotoPicker({ value, onChange, testId = 'photo-input' }: { value?: UploadFile[]; onChange?: (files: UploadFile[]) => void; testId?: string }) {
  const { t } = useTranslation();
  const [previews, setPreviews] = useState<Record<string, string>>({});
  const files = value ?? [];
  const uids = files.map((f) => f.uid).join(',');
  // local thumbnails (object URLs), released when the photo leaves
  useEffect(() => {
    setPreviews((prev) => {
      const next: Record<string, string> = {};
      for (const f of files) {
        const blob = f.originFileObj;
        next[f.uid] = prev[f.uid] ?? (blob ? URL.createObjectURL(blob) : '');
      }
      for (const [uid, url] of Object.entries(prev)) if (!next[uid] && url) URL.revokeObjectURL(url);
      return next;
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [uids]);
  return (
    <div data-testid={testId}>
      <Upload
        listType="picture-card"
        accept="image/*"
        capture="environment"
        multiple
        fileList={files.map((f) => ({ ...f, thumbUrl: previews[f.uid] || f.thumbUrl, status: 'done' as const }))}
        beforeUpload={() => false}
        onChange={({ fileList }) => {
          const ok = fileList.filter((f) => (f.size ?? 0) <= MAX_PHOTO_BYTES).slice(0, MAX_PHOTOS);
          onChange?.(ok);
        }}
        showUploadList={{ showPreviewIcon: false }}
      >
        {files.length < MAX_PHOTOS && (
          <div>
            <CameraOutlined style={{ fontSize: 20 }} />
            <div style={{ marginTop: 4, fontSize: 12 }}>{t('problems.form.addPhoto')}</div>
          </div>
        )}
      </Upload>
    </div>
  );
}

export function photoBlobs(files: UploadFile[] | undefined): File[] {
  return (files ?? []).map((f) => f.originFileObj).filter((f): f is NonNullable<UploadFile['originFileObj']> => !!f);
}

/** dayjs value of a 'YYYY-MM-DD'. */
export const day = (s: string | null | undefined) => (s ? dayjs(s) : null);
