import type { ReactNode } from 'react';
import { Checkbox, Col, DatePicker, Flex, Row, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import {
  ESCALATION_LABELS,
  ESCALATION_LEVELS,
  LIGHTS,
  LIGHT_LABELS,
  PRIORITY_LABELS,
  PROBLEM_PRIORITIES,
  PROBLEM_SOURCES,
  PROBLEM_STATES,
  SOURCE_LABELS,
  STATE_LABELS,
} from '../../../shared/problem-flow.ts';
import type { ProblemFilters } from '../../api/problems.ts';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.tsx';
import { pick, useLang } from '../../i18n/index.ts';
import { ProjectPicker, UnitsSelect, useCategoryOptions, useCommandOptions } from './pickers.tsx';
import { LightDot } from './problems.tsx';

export interface FilterFieldsProps {
  value: ProblemFilters;
  onChange: (patch: Partial<ProblemFilters>) => void;
  /** Phones: one field per line, labels above. */
  vertical?: boolean;
}

type RangeKeys = ['raisedFrom', 'raisedTo'] | ['deadlineFrom', 'deadlineTo'] | ['closedFrom', 'closedTo'];

/** Every filter of the list except the search box (the list page and its phone drawer share it). */
export function FilterFields({ value, onChange, vertical }: FilterFieldsProps) {
  const { t } = useTranslation();
  const lang = useLang();
  const categories = useCategoryOptions();
  const commands = useCommandOptions();
  const multi = { mode: 'multiple', allowClear: true, style: { width: '100%' }, popupMatchSelectWidth: false, maxTagCount: 'responsive', showSearch: { optionFilterProp: 'label' } } as const;
  const setMany = (k: keyof ProblemFilters) => (v: string[]) => onChange({ [k]: v.length ? v : undefined });
  const flag = (k: 'overdue' | 'supervised' | 'open' | 'late' | 'returned', label: string) => (
    <Checkbox checked={value[k] === 'true'} onChange={(e) => onChange({ [k]: e.target.checked ? 'true' : undefined })} data-testid={`filter-${k}`}>
      {label}
    </Checkbox>
  );
  const range = ([from, to]: RangeKeys, testId: string, label: string) => (
    <DatePicker.RangePicker
      placeholder={[t('problems.filters.from', { what: label }), t('problems.filters.to')]}
      style={{ width: '100%' }}
      allowEmpty={[true, true]}
      value={[value[from] ? dayjs(value[from]) : null, value[to] ? dayjs(value[to]) : null]}
      onChange={(d) => onChange({ [from]: d?.[0]?.format('YYYY-MM-DD'), [to]: d?.[1]?.format('YYYY-MM-DD') })}
      inputReadOnly={vertical}
      data-testid={testId}
    />
  );

  const fields: { key: string; label: string; node: ReactNode; wide?: boolean }[] = [
    {
      key: 'state',
      label: t('problems.fields.state'),
      node: (
        <Select {...multi} placeholder={t('problems.fields.state')} value={value.state ?? []} onChange={setMany('state')} options={PROBLEM_STATES.map((s) => ({ value: s, label: pick(STATE_LABELS[s], lang) }))} data-testid="filter-state" />
      ),
    },
    {
      key: 'light',
      label: t('problems.fields.light'),
      node: (
        <Select
          {...multi}
          placeholder={t('problems.fields.light')}
          value={value.light ?? []}
          onChange={setMany('light')}
          options={LIGHTS.map((l) => ({
            value: l,
            label: pick(LIGHT_LABELS[l], lang),
          }))}
          optionRender={(o) => (
            <Flex gap={6} align="center">
              <LightDot light={o.value as (typeof LIGHTS)[number]} />
              {o.label}
            </Flex>
          )}
          data-testid="filter-light"
        />
      ),
    },
    {
      key: 'commandId',
      label: t('problems.fields.command'),
      node: <Select {...multi} placeholder={t('problems.fields.command')} value={value.commandId ?? []} onChange={setMany('commandId')} loading={commands.isLoading} options={commands.options} data-testid="filter-command" />,
    },
    {
      key: 'leadUnitId',
      label: t('problems.fields.leadUnit'),
      node: <UnitsSelect placeholder={t('problems.fields.leadUnit')} value={value.leadUnitId ?? []} onChange={setMany('leadUnitId')} testId="filter-lead-unit" />,
    },
    {
      key: 'cooperatingUnitId',
      label: t('problems.fields.cooperatingUnit'),
      node: <UnitTreeSelect placeholder={t('problems.fields.cooperatingUnit')} value={value.cooperatingUnitId ?? null} onChange={(v) => onChange({ cooperatingUnitId: v ?? undefined })} />,
    },
    {
      key: 'category',
      label: t('problems.fields.category'),
      node: <Select {...multi} placeholder={t('problems.fields.category')} value={value.category ?? []} onChange={setMany('category')} loading={categories.isLoading} options={categories.options} data-testid="filter-category" />,
    },
    {
      key: 'priority',
      label: t('problems.fields.priority'),
      node: <Select {...multi} placeholder={t('problems.fields.priority')} value={value.priority ?? []} onChange={setMany('priority')} options={PROBLEM_PRIORITIES.map((p) => ({ value: p, label: pick(PRIORITY_LABELS[p], lang) }))} />,
    },
    {
      key: 'source',
      label: t('problems.fields.source'),
      node: <Select {...multi} placeholder={t('problems.fields.source')} value={value.source ?? []} onChange={setMany('source')} options={PROBLEM_SOURCES.map((s) => ({ value: s, label: pick(SOURCE_LABELS[s], lang) }))} />,
    },
    {
      key: 'escalation',
      label: t('problems.fields.escalation'),
      node: (
        <Select {...multi} placeholder={t('problems.fields.escalation')} value={value.escalation ?? []} onChange={setMany('escalation')} options={ESCALATION_LEVELS.map((e) => ({ value: e, label: pick(ESCALATION_LABELS[e], lang) }))} />
      ),
    },
    {
      key: 'projectId',
      label: t('problems.fields.project'),
      node: <ProjectPicker value={value.projectId ?? null} onChange={(v) => onChange({ projectId: v ?? undefined })} testId="filter-project" />,
    },
    { key: 'raised', label: t('problems.filters.raisedRange'), node: range(['raisedFrom', 'raisedTo'], 'filter-raised', t('problems.fields.raisedOn')), wide: true },
    { key: 'deadline', label: t('problems.filters.deadlineRange'), node: range(['deadlineFrom', 'deadlineTo'], 'filter-deadline', t('problems.fields.deadline')), wide: true },
    { key: 'closed', label: t('problems.filters.closedRange'), node: range(['closedFrom', 'closedTo'], 'filter-closed', t('problems.fields.closedOn')), wide: true },
    {
      key: 'flags',
      label: t('problems.filters.flags'),
      wide: true,
      node: (
        <Flex gap={vertical ? 8 : 12} wrap="wrap" align="center" style={{ minHeight: 32 }}>
          {flag('open', t('problems.filters.open'))}
          {flag('overdue', t('problems.filters.overdue'))}
          {flag('supervised', t('problems.filters.supervised'))}
          {flag('returned', t('problems.filters.returned'))}
          {flag('late', t('problems.filters.late'))}
        </Flex>
      ),
    },
  ];
  if (vertical)
    return (
      <Flex vertical gap={14}>
        {fields.map((f) => (
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
      {fields.map((f) => (
        <Col key={f.key} xs={24} md={12} lg={8} xl={f.wide ? 8 : 4} xxl={f.wide ? 6 : 4} title={f.label}>
          {f.node}
        </Col>
      ))}
    </Row>
  );
}
