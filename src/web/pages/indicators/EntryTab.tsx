import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Flex, Input, Select, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { indicatorsApi, indicatorsKey, useIndicatorDefinitions, useIndicatorValues, type District, type EntryItem, type Figure } from '../../api/indicators.ts';
import { errorText } from '../../components/forms.ts';
import { formatDateTime } from '../../components/format.ts';
import { QueryState } from '../../components/QueryState.tsx';
import { useIsMobile } from '../../components/useIsMobile.ts';
import { useLang } from '../../i18n/index.ts';
import { decimalOrNull, figure, GROWTH_RE, periodText, VALUE_RE } from './format.ts';

interface Draft {
  value: string;
  growth: string;
}

/**
 * 数据填报: one indicator of one period, a row per district (value and growth). Only the rows changed are sent, each
 * with the version it was based on; a growth left empty is computed by the server when last year's value exists.
 */
export default function EntryTab({ year, month }: { year: number; month: number }) {
  const { t } = useTranslation();
  const lang = useLang();
  const mobile = useIsMobile();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const defs = useIndicatorDefinitions();
  const values = useIndicatorValues(year, month);
  const indicators = (defs.data?.indicators ?? []).filter((i) => i.active);
  const districts = (defs.data?.districts ?? []).filter((d) => d.active);
  const [indicatorId, setIndicatorId] = useState<string | null>(null);
  const indicator = indicators.find((i) => i.id === indicatorId) ?? indicators[0];
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  const [saving, setSaving] = useState(false);

  const current = useMemo(() => {
    const map = new Map<string, Figure>();
    for (const f of values.data?.items ?? []) if (f.indicatorId === indicator?.id) map.set(f.districtId, f);
    return map;
  }, [values.data, indicator?.id]);

  // A new indicator or period starts from what is stored.
  useEffect(() => setDrafts({}), [indicator?.id, year, month, values.data]);

  const draftOf = (d: District): Draft => drafts[d.id] ?? { value: figure(current.get(d.id)?.value ?? null).replace('—', ''), growth: current.get(d.id)?.growthSource === 'entered' ? figure(current.get(d.id)?.growth ?? null) : '' };
  const setDraft = (d: District, patch: Partial<Draft>) => setDrafts((prev) => ({ ...prev, [d.id]: { ...draftOf(d), ...patch } }));
  const invalid = (d: District) => {
    const x = draftOf(d);
    const v = decimalOrNull(x.value);
    const g = decimalOrNull(x.growth);
    return { value: v !== null && !VALUE_RE.test(v), growth: g !== null && !GROWTH_RE.test(g) };
  };
  const changed = districts.filter((d) => drafts[d.id] !== undefined);

  const save = async () => {
    if (!indicator) return;
    const entries: EntryItem[] = [];
    for (const d of changed) {
      const x = draftOf(d);
      const f = current.get(d.id);
      const value = indicator.publishesValue ? decimalOrNull(x.value) : null;
      const growth = decimalOrNull(x.growth);
      const sameValue = (value ?? '') === (f?.value != null ? figure(f.value) : '');
      const sameGrowth = (growth ?? '') === (f?.growthSource === 'entered' ? figure(f.growth) : '');
      if (f && sameValue && sameGrowth) continue;
      if (!f && value === null && growth === null) continue;
      entries.push({ indicatorId: indicator.id, districtId: d.id, year, month, value, growth, ...(f ? { version: f.version } : {}) });
    }
    if (entries.length === 0) {
      message.info(t('indicators.entry.nothing'));
      return;
    }
    setSaving(true);
    try {
      const r = await indicatorsApi.save(entries);
      message.success(t('indicators.entry.saved', { count: entries.length }));
      if (r.recomputed) message.info(t('indicators.import.recomputed', { count: r.recomputed }));
      await qc.invalidateQueries({ queryKey: indicatorsKey });
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        message.warning(t('indicators.entry.conflict'));
        await qc.invalidateQueries({ queryKey: indicatorsKey });
      } else message.error(errorText(e));
    } finally {
      setSaving(false);
    }
  };

  const columns: ColumnsType<District> = [
    {
      title: t('indicators.col.district'),
      dataIndex: 'name',
      width: mobile ? 80 : 140,
      fixed: 'left',
      render: (name: string, d) => (
        <span>
          {name}
          {d.kind === 'self' && (
            <Tag color="red" style={{ marginLeft: 4, fontSize: 11 }}>
              {t(`indicators.settings.kinds.${d.kind}`)}
            </Tag>
          )}
        </span>
      ),
    },
    ...(indicator?.publishesValue
      ? [
          {
            title: `${t('indicators.col.value')}（${indicator.unit}）`,
            key: 'value',
            width: mobile ? 120 : 150,
            render: (_: unknown, d: District) => (
              <Input
                inputMode="decimal"
                size="small"
                aria-label={`${d.name} ${t('indicators.col.value')}`}
                placeholder={t('indicators.entry.valuePh')}
                value={draftOf(d).value}
                status={invalid(d).value ? 'error' : undefined}
                onChange={(e) => setDraft(d, { value: e.target.value })}
                data-testid={`entry-value-${d.name}`}
              />
            ),
          },
        ]
      : []),
    {
      title: `${t('indicators.col.growth')}（%）`,
      key: 'growth',
      width: mobile ? 110 : 150,
      render: (_: unknown, d: District) => {
        const f = current.get(d.id);
        return (
          <Tooltip title={f?.growthSource === 'computed' && drafts[d.id] === undefined ? `${t('indicators.computed')}: ${figure(f.growth)}%` : undefined}>
            <Input
              inputMode="decimal"
              size="small"
              aria-label={`${d.name} ${t('indicators.col.growth')}`}
              placeholder={f?.growthSource === 'computed' ? `${figure(f.growth)}（${t('indicators.computed')}）` : t('indicators.entry.growthPh')}
              value={draftOf(d).growth}
              status={invalid(d).growth ? 'error' : undefined}
              onChange={(e) => setDraft(d, { growth: e.target.value })}
              data-testid={`entry-growth-${d.name}`}
            />
          </Tooltip>
        );
      },
    },
    {
      title: '',
      key: 'who',
      responsive: ['md'],
      render: (_: unknown, d: District) => {
        const f = current.get(d.id);
        return f ? (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t(`indicators.entry.source.${f.source}`)} · {t('indicators.entry.updatedBy', { name: f.updatedBy?.displayName ?? '', at: formatDateTime(f.updatedAt) })}
          </Typography.Text>
        ) : null;
      },
    },
  ];

  const anyInvalid = changed.some((d) => invalid(d).value || invalid(d).growth);
  return (
    <QueryState loading={defs.isLoading || values.isLoading} error={defs.error ?? values.error} retry={() => void values.refetch()}>
      <Card size="small" title={periodText(lang, year, month)}>
        <Alert type="info" showIcon title={t('indicators.entry.hint')} style={{ marginBottom: 12 }} />
        <Flex gap={8} wrap="wrap" align="center" style={{ marginBottom: 12 }}>
          <Typography.Text>{t('indicators.entry.indicator')}</Typography.Text>
          <Select
            style={{ minWidth: 220 }}
            value={indicator?.id}
            onChange={(id: string) => setIndicatorId(id)}
            options={indicators.map((i) => ({ value: i.id, label: `${lang === 'en' && i.nameEn ? i.nameEn : i.name}（${i.unit}）${i.publishesValue ? '' : ` · ${t('indicators.growthOnly')}`}` }))}
            data-testid="entry-indicator"
          />
        </Flex>
        <Table<District> rowKey="id" size="small" pagination={false} dataSource={districts} columns={columns} scroll={mobile ? undefined : { x: 600 }} data-testid="entry-table" />
        <Flex justify="flex-end" style={{ marginTop: 12 }}>
          <Button type="primary" loading={saving} disabled={changed.length === 0 || anyInvalid} onClick={() => void save()} data-testid="entry-save">
            {t('indicators.entry.save')}
          </Button>
        </Flex>
      </Card>
    </QueryState>
  );
}
