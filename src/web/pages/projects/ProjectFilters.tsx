import { useEffect, useMemo, useState } from 'react';
import { Checkbox, Col, DatePicker, Flex, Input, Row, Select, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { PROJECT_LEVELS, PROJECT_PHASES } from '../../../shared/project-phase.ts';
import { LEVEL_LABELS } from '../../../shared/project-phase.ts';
import { api } from '../../api/client.ts';
import { useCommands } from '../../api/commands.ts';
import { useBatches, useDictionary, type ProjectFilters } from '../../api/projects.ts';
import type { User } from '../../api/types.ts';
import { useUnits } from '../../api/units.ts';
import { exactIn, toYuan } from '../../components/money.ts';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.tsx';
import { UserPicker } from '../../components/UserPicker.tsx';
import { useCurrentUser } from '../../components/session.tsx';
import { pick, useLang } from '../../i18n/index.ts';
import { phaseLabel, seesOrg } from './ledger.tsx';

/** The dictionary's options: label in the current language, code as the value. */
export function useDictionaryOptions(name: 'industry' | 'project_kind', enabled = true) {
  const lang = useLang();
  const { data, isLoading } = useDictionary(name, enabled);
  const options = useMemo(
    () => (data ?? []).filter((d) => d.active).map((d) => ({ value: d.code, label: lang === 'en' && d.labelEn ? d.labelEn : d.label })),
    [data, lang],
  );
  return { options, isLoading };
}

/** Units of one kind (组团, 片区) for a plain select. */
export function useUnitOptions(kind: 'cluster' | 'area', enabled = true) {
  const { data } = useUnits(enabled);
  return useMemo(() => (data ?? []).filter((u) => u.kind === kind && u.active).map((u) => ({ value: u.id, label: u.name })), [data, kind]);
}

/** A user's name for an id from the URL (the picker's first page may not hold it). */
function useKnownUser(id: string | undefined, enabled: boolean) {
  const { data } = useQuery({ queryKey: ['users', 'one', id], queryFn: () => api.get<User>(`/api/users/${id}`), enabled: enabled && !!id, staleTime: 300_000 });
  return data ? [{ id: data.id, label: data.displayName }] : [];
}

/** 亿元 text box bound to a yuan string in the filters: applied on Enter or when leaving the box. */
function YiInput({ value, onApply, placeholder, testId }: { value: string | undefined; onApply: (yuan: string | undefined) => void; placeholder: string; testId: string }) {
  const [text, setText] = useState(exactIn(value, 'yi'));
  useEffect(() => setText(exactIn(value, 'yi')), [value]);
  const bad = text.trim() !== '' && toYuan(text, 'yi') === null;
  const apply = () => {
    if (bad) return;
    const yuan = toYuan(text, 'yi') ?? undefined;
    if (yuan !== value) onApply(yuan);
  };
  return (
    <Input
      value={text}
      status={bad ? 'error' : undefined}
      inputMode="decimal"
      placeholder={placeholder}
      onChange={(e) => setText(e.target.value)}
      onPressEnter={apply}
      onBlur={apply}
      allowClear
      data-testid={testId}
    />
  );
}

export interface FilterFieldsProps {
  value: ProjectFilters;
  onChange: (patch: Partial<ProjectFilters>) => void;
  /** Phones: one field per line, labels above. */
  vertical?: boolean;
}

/** Every list filter except the search box (the list page, its phone drawer and the Gantt page share it). */
export function FilterFields({ value, onChange, vertical }: FilterFieldsProps) {
  const { t } = useTranslation();
  const lang = useLang();
  const me = useCurrentUser();
  const org = seesOrg(me);
  const commands = useCommands(org);
  const clusters = useUnitOptions('cluster', org);
  const areas = useUnitOptions('area', org);
  const industries = useDictionaryOptions('industry');
  const kinds = useDictionaryOptions('project_kind');
  const batches = useBatches();
  const knownLeader = useKnownUser(value.leaderUserId, org);
  const set = (k: keyof ProjectFilters) => (v: string | null | undefined) => onChange({ [k]: v ?? undefined });
  const selectProps = { allowClear: true, style: { width: '100%' }, popupMatchSelectWidth: false, showSearch: { optionFilterProp: 'label' } } as const;

  const fields: { key: string; label: string; node: React.ReactNode; show?: boolean; span?: number }[] = [
    {
      key: 'phase',
      label: t('projects.fields.phase'),
      node: (
        <Select {...selectProps} placeholder={t('projects.fields.phase')} value={value.phase} onChange={set('phase')} options={PROJECT_PHASES.map((p) => ({ value: p, label: phaseLabel(p, lang) }))} data-testid="filter-phase" />
      ),
    },
    {
      key: 'level',
      label: t('projects.fields.level'),
      node: <Select {...selectProps} placeholder={t('projects.fields.level')} value={value.level} onChange={set('level')} options={PROJECT_LEVELS.map((l) => ({ value: l, label: pick(LEVEL_LABELS[l], lang) }))} />,
    },
    {
      key: 'commandId',
      label: t('projects.fields.command'),
      show: org,
      node: (
        <Select
          {...selectProps}
          placeholder={t('projects.fields.command')}
          value={value.commandId}
          onChange={set('commandId')}
          loading={commands.isLoading}
          options={(commands.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
        />
      ),
    },
    { key: 'clusterUnitId', label: t('projects.fields.clusterUnit'), show: org, node: <Select {...selectProps} placeholder={t('projects.fields.clusterUnit')} value={value.clusterUnitId} onChange={set('clusterUnitId')} options={clusters} /> },
    { key: 'areaUnitId', label: t('projects.fields.areaUnit'), show: org, node: <Select {...selectProps} placeholder={t('projects.fields.areaUnit')} value={value.areaUnitId} onChange={set('areaUnitId')} options={areas} /> },
    {
      key: 'industry',
      label: t('projects.fields.industry'),
      node: <Select {...selectProps} placeholder={t('projects.fields.industry')} value={value.industry} onChange={set('industry')} loading={industries.isLoading} options={industries.options} />,
    },
    {
      key: 'kind',
      label: t('projects.fields.kind'),
      node: <Select {...selectProps} placeholder={t('projects.fields.kind')} value={value.kind} onChange={set('kind')} loading={kinds.isLoading} options={kinds.options} />,
    },
    {
      key: 'leaderUserId',
      label: t('projects.fields.leader'),
      show: org,
      node: <UserPicker placeholder={t('projects.fields.leader')} value={value.leaderUserId} known={knownLeader} onChange={(v) => onChange({ leaderUserId: v || undefined })} allowClear />,
    },
    { key: 'leadUnitId', label: t('projects.fields.leadUnit'), show: org, node: <UnitTreeSelect placeholder={t('projects.fields.leadUnit')} value={value.leadUnitId ?? null} onChange={(v) => onChange({ leadUnitId: v ?? undefined })} /> },
    {
      key: 'batchId',
      label: t('projects.fields.batches'),
      node: <Select {...selectProps} placeholder={t('projects.fields.batches')} value={value.batchId} onChange={set('batchId')} loading={batches.isLoading} options={(batches.data ?? []).map((b) => ({ value: b.id, label: b.name }))} />,
    },
    {
      key: 'investment',
      label: t('projects.investmentRange'),
      node: (
        <Flex gap={6} align="center">
          <YiInput value={value.minInvestment} onApply={(v) => onChange({ minInvestment: v })} placeholder={t('projects.minYi')} testId="filter-min" />
          <span>–</span>
          <YiInput value={value.maxInvestment} onApply={(v) => onChange({ maxInvestment: v })} placeholder={t('projects.maxYi')} testId="filter-max" />
        </Flex>
      ),
    },
    {
      key: 'year',
      label: t('projects.fields.year'),
      node: (
        <DatePicker
          picker="year"
          style={{ width: '100%' }}
          placeholder={t('projects.yearThis')}
          value={value.year ? dayjs(`${value.year}-01-01`) : null}
          onChange={(d) => onChange({ year: d ? String(d.year()) : undefined })}
          inputReadOnly
        />
      ),
    },
    {
      key: 'lagging',
      label: t('projects.schedule.lagging'),
      node: (
        <Checkbox checked={value.lagging === 'true'} onChange={(e) => onChange({ lagging: e.target.checked ? 'true' : undefined })} data-testid="filter-lagging">
          {t('projects.laggingOnly')}
        </Checkbox>
      ),
    },
  ];
  const shown = fields.filter((f) => f.show !== false);
  if (vertical)
    return (
      <Flex vertical gap={14}>
        {shown.map((f) => (
          <div key={f.key}>
            <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 4, fontSize: 13 }}>
              {f.label}
            </Typography.Text>
            {f.node}
          </div>
        ))}
      </Flex>
    );
  return (
    <Row gutter={[12, 12]}>
      {shown.map((f) => (
        <Col key={f.key} xs={24} md={8} lg={6} xl={f.key === 'investment' ? 6 : 4} xxl={f.key === 'investment' ? 5 : 3} style={f.key === 'lagging' ? { display: 'flex', alignItems: 'center' } : undefined}>
          {f.node}
        </Col>
      ))}
    </Row>
  );
}
