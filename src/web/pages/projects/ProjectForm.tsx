import { useEffect, useMemo, useRef, useState } from 'react';
import { App, Button, Col, DatePicker, Divider, Drawer, Flex, Form, Input, Row, Select, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import { LEVEL_LABELS, PROJECT_LEVELS, type ProjectLevel } from '../../../shared/project-phase.ts';
import { ApiError, api } from '../../api/client.ts';
import { useCommands } from '../../api/commands.ts';
import { useGroups } from '../../api/groups.ts';
import { projectsApi, type Project, type ProjectInput } from '../../api/projects.ts';
import type { Enterprise, Paged } from '../../api/types.ts';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.tsx';
import { UserPicker } from '../../components/UserPicker.tsx';
import { applyServerErrors, changed, fromDay, rules, toDay } from '../../components/forms.ts';
import { exactIn, toYuan } from '../../components/money.ts';
import { useCurrentUser } from '../../components/session.tsx';
import { useIsMobile } from '../../components/useIsMobile.ts';
import { pick, useLang } from '../../i18n/index.ts';
import { useDictionaryOptions, useUnitOptions } from './ProjectFilters.tsx';
import { thisYearInZone } from '../../components/format.ts';

interface FormValues {
  code: string;
  name: string;
  enterpriseId?: string | null;
  industry?: string | null;
  kind?: string | null;
  level: ProjectLevel;
  clusterUnitId?: string | null;
  areaUnitId?: string | null;
  address?: string;
  longitude?: string;
  latitude?: string;
  commandId?: string | null;
  leadUnitId?: string | null;
  leaderUserId?: string | null;
  taskForceId?: string | null;
  totalInvestment: string;
  year?: Dayjs | null;
  yearPlannedInvestment?: string;
  plannedStartOn?: Dayjs | null;
  plannedCompletionOn?: Dayjs | null;
  notes?: string;
}

/** Pick an owner enterprise by typing part of its name (GET /api/enterprises?q=). */
function EnterprisePicker({ value, onChange, known }: { value?: string | null; onChange?: (v: string | null) => void; known: { id: string; name: string } | null }) {
  const [options, setOptions] = useState<{ value: string; label: string }[]>(known ? [{ value: known.id, label: known.name }] : []);
  const [loading, setLoading] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const run = (q: string) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(async () => {
      setLoading(true);
      try {
        const r = await api.get<Paged<Enterprise>>('/api/enterprises', { q, page: 1, pageSize: 20 });
        const list = r.items.map((e) => ({ value: e.id, label: e.name }));
        if (known && !list.some((o) => o.value === known.id)) list.unshift({ value: known.id, label: known.name });
        setOptions(list);
      } catch {
        // keep what we have
      } finally {
        setLoading(false);
      }
    }, 250);
  };
  useEffect(() => () => clearTimeout(timer.current), []);
  return (
    <Select
      value={value ?? undefined}
      onChange={(v: string | undefined) => onChange?.(v ?? null)}
      showSearch={{ filterOption: false, onSearch: run }}
      onOpenChange={(open) => open && options.length <= 1 && run('')}
      options={options}
      allowClear
      notFoundContent={loading ? <Spin size="small" /> : undefined}
      style={{ width: '100%' }}
    />
  );
}

const COORD = /^-?\d{1,3}(\.\d{1,6})?$/;

function initialValues(p: Project | null, defaults: Partial<FormValues>): FormValues {
  return {
    code: p?.code ?? '',
    name: p?.name ?? '',
    enterpriseId: p?.enterprise?.id ?? null,
    industry: p?.industry?.code ?? null,
    kind: p?.kind?.code ?? null,
    level: p?.level ?? 'district',
    clusterUnitId: p?.clusterUnit?.id ?? null,
    areaUnitId: p?.areaUnit?.id ?? null,
    address: p?.address ?? '',
    longitude: p?.longitude ?? '',
    latitude: p?.latitude ?? '',
    commandId: p?.command?.id ?? defaults.commandId ?? null,
    leadUnitId: p?.leadUnit?.id ?? defaults.leadUnitId ?? null,
    leaderUserId: p?.leader?.id ?? null,
    taskForceId: p?.taskForce?.id ?? null,
    totalInvestment: exactIn(p?.totalInvestment, 'yi'),
    year: dayjs(`${p?.year ?? thisYearInZone()}-01-01`),
    yearPlannedInvestment: exactIn(p?.yearPlannedInvestment, 'yi'),
    plannedStartOn: toDay(p?.plannedStartOn),
    plannedCompletionOn: toDay(p?.plannedCompletionOn),
    notes: p?.notes ?? '',
  };
}

/** Form values → the API body (money from 亿元 to exact yuan strings; blanks to null). */
function toBody(v: FormValues): ProjectInput {
  const text = (s: string | undefined) => (s && s.trim() ? s.trim() : null);
  return {
    code: v.code.trim(),
    name: v.name.trim(),
    enterpriseId: v.enterpriseId ?? null,
    industry: v.industry ?? null,
    kind: v.kind ?? null,
    level: v.level,
    clusterUnitId: v.clusterUnitId ?? null,
    areaUnitId: v.areaUnitId ?? null,
    address: text(v.address),
    longitude: text(v.longitude),
    latitude: text(v.latitude),
    commandId: v.commandId ?? null,
    leadUnitId: v.leadUnitId ?? null,
    leaderUserId: v.leaderUserId ?? null,
    taskForceId: v.taskForceId ?? null,
    totalInvestment: toYuan(v.totalInvestment, 'yi') ?? '0.00',
    year: v.year ? v.year.year() : thisYearInZone(),
    yearPlannedInvestment: toYuan(v.yearPlannedInvestment, 'yi'),
    plannedStartOn: fromDay(v.plannedStartOn),
    plannedCompletionOn: fromDay(v.plannedCompletionOn),
    notes: text(v.notes),
  };
}

export interface ProjectFormProps {
  open: boolean;
  project: Project | null;
  onClose: () => void;
  onSaved: (p: Project) => void;
  /** A stale version (409): the server's message names who changed it; the page reloads on request. */
  onConflict?: (message: string) => void;
}

/** 新建项目 / 编辑项目: the facts of a project; money typed in 亿元 and sent as exact yuan strings. */
export function ProjectForm({ open, project, onClose, onSaved, onConflict }: ProjectFormProps) {
  const { t } = useTranslation();
  const lang = useLang();
  const { message } = App.useApp();
  const mobile = useIsMobile();
  const me = useCurrentUser();
  const [form] = Form.useForm<FormValues>();
  const [busy, setBusy] = useState(false);
  const commands = useCommands(open);
  const taskForces = useGroups('task_force', open);
  const clusters = useUnitOptions('cluster', open);
  const areas = useUnitOptions('area', open);
  const industries = useDictionaryOptions('industry', open);
  const kinds = useDictionaryOptions('project_kind', open);
  const defaults = useMemo<Partial<FormValues>>(() => {
    if (me.commands.length && (me.roles.includes('hq_commander') || me.roles.includes('hq_staff'))) return { commandId: me.commands[0]!.id };
    if (me.roles.includes('unit_staff') && me.unit) return { leadUnitId: me.unit.id };
    return {};
  }, [me]);
  const initial = useMemo(() => initialValues(project, defaults), [project, defaults]);
  const yiRule = (required: boolean) => ({
    validator: (_: unknown, value: string | undefined) => {
      if (!value || !value.trim()) return required ? Promise.reject(new Error(t('projects.form.amountRequired'))) : Promise.resolve();
      const yuan = toYuan(value, 'yi');
      if (yuan === null) return Promise.reject(new Error(t('projects.form.amountInvalid')));
      return yuan.startsWith('-') ? Promise.reject(new Error(t('projects.form.amountNegative'))) : Promise.resolve();
    },
  });
  const coordRule = { pattern: COORD, message: t('projects.form.coordInvalid') };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={mobile ? '100%' : 860}
      title={project ? t('projects.form.editTitle', { name: project.name }) : t('projects.create')}
      destroyOnHidden
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={busy} onClick={() => form.submit()} data-testid="project-save">
            {t('common.save')}
          </Button>
        </Flex>
      }
    >
      <Form<FormValues>
        form={form}
        name="project"
        layout="vertical"
        preserve={false}
        initialValues={initial}
        onFinish={async (v) => {
          setBusy(true);
          try {
            const body = toBody(v);
            let saved: Project;
            if (project) {
              const base = toBody(initial);
              const patch: Partial<ProjectInput> = changed(base as unknown as Record<string, unknown>, body as unknown as Record<string, unknown>) as Partial<ProjectInput>;
              // the annual plan is set per year: send the pair when either changed
              if ('year' in patch || 'yearPlannedInvestment' in patch) {
                patch.year = body.year;
                patch.yearPlannedInvestment = body.yearPlannedInvestment;
              }
              if (!Object.keys(patch).length) {
                onClose();
                return;
              }
              saved = await projectsApi.update(project.id, { ...patch, version: project.version });
            } else {
              const compacted = Object.fromEntries(Object.entries(body).filter(([, x]) => x !== null)) as unknown as ProjectInput;
              saved = await projectsApi.create(compacted);
            }
            message.success(project ? t('common.saved') : t('common.created'));
            onSaved(saved);
          } catch (e) {
            if (e instanceof ApiError && e.status === 409 && onConflict) onConflict(e.message);
            else applyServerErrors(form, e, (m) => message.error(m));
          } finally {
            setBusy(false);
          }
        }}
        data-testid="project-form"
      >
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item name="code" label={t('projects.fields.code')} rules={[rules.required(), rules.max(50)]}>
              <Input className="qibu-mono" />
            </Form.Item>
          </Col>
          <Col xs={24} md={16}>
            <Form.Item name="name" label={t('projects.fields.name')} rules={[rules.required(), rules.max(200)]}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="enterpriseId" label={t('projects.fields.enterprise')}>
              <EnterprisePicker known={project?.enterprise ?? null} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="industry" label={t('projects.fields.industry')}>
              <Select allowClear options={industries.options} loading={industries.isLoading} showSearch={{ optionFilterProp: 'label' }} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="kind" label={t('projects.fields.kind')}>
              <Select allowClear options={kinds.options} loading={kinds.isLoading} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="level" label={t('projects.fields.level')} rules={[rules.requiredSelect()]}>
              <Select options={PROJECT_LEVELS.map((l) => ({ value: l, label: pick(LEVEL_LABELS[l], lang) }))} />
            </Form.Item>
          </Col>
          <Col xs={12} md={9}>
            <Form.Item name="totalInvestment" label={t('projects.form.totalInvestmentYi')} rules={[yiRule(true)]}>
              <Input inputMode="decimal" suffix={t('projects.unit.yi')} data-testid="project-total" />
            </Form.Item>
          </Col>
          <Col xs={12} md={4}>
            <Form.Item name="year" label={t('projects.fields.year')}>
              <DatePicker picker="year" style={{ width: '100%' }} allowClear={false} inputReadOnly />
            </Form.Item>
          </Col>
          <Col xs={12} md={5}>
            <Form.Item name="yearPlannedInvestment" label={t('projects.form.yearPlanYi')} rules={[yiRule(false)]}>
              <Input inputMode="decimal" suffix={t('projects.unit.yi')} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="plannedStartOn" label={t('projects.fields.plannedStartOn')}>
              <DatePicker style={{ width: '100%' }} inputReadOnly />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="plannedCompletionOn" label={t('projects.fields.plannedCompletionOn')}>
              <DatePicker style={{ width: '100%' }} inputReadOnly />
            </Form.Item>
          </Col>
        </Row>
        <Divider titlePlacement="start" plain style={{ marginTop: 0 }}>
          {t('projects.form.responsibility')}
        </Divider>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="commandId" label={t('projects.fields.command')}>
              <Select
                allowClear
                loading={commands.isLoading}
                options={(commands.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
                showSearch={{ optionFilterProp: 'label' }}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="leadUnitId" label={t('projects.fields.leadUnit')}>
              <UnitTreeSelect />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="leaderUserId" label={t('projects.fields.leader')}>
              <UserPicker allowClear known={project?.leader ? [{ id: project.leader.id, label: project.leader.displayName }] : []} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="taskForceId" label={t('projects.fields.taskForce')}>
              <Select
                allowClear
                loading={taskForces.isLoading}
                options={(taskForces.data ?? []).map((g) => ({ value: g.id, label: g.name }))}
                showSearch={{ optionFilterProp: 'label' }}
              />
            </Form.Item>
          </Col>
        </Row>
        <Divider titlePlacement="start" plain style={{ marginTop: 0 }}>
          {t('projects.form.location')}
        </Divider>
        <Row gutter={16}>
          <Col xs={12} md={6}>
            <Form.Item name="clusterUnitId" label={t('projects.fields.clusterUnit')}>
              <Select allowClear options={clusters} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="areaUnitId" label={t('projects.fields.areaUnit')}>
              <Select allowClear options={areas} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="longitude" label={t('projects.fields.longitude')} rules={[coordRule]}>
              <Input inputMode="decimal" className="qibu-mono" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="latitude" label={t('projects.fields.latitude')} rules={[coordRule]}>
              <Input inputMode="decimal" className="qibu-mono" />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="address" label={t('projects.fields.address')} rules={[rules.max(300)]}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="notes" label={t('projects.fields.notes')} rules={[rules.max(2000)]}>
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Drawer>
  );
}
