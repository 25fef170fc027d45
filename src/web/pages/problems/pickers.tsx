import { useEffect, useMemo, useState } from 'react';
import { Select, TreeSelect } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useCommands } from '../../api/commands.ts';
import { fetchProblems } from '../../api/problems.ts';
import { useDictionary, type Project } from '../../api/projects.ts';
import type { Paged } from '../../api/types.ts';
import { buildUnitForest, useUnits, type UnitNode } from '../../api/units.ts';
import { useLang } from '../../i18n/index.ts';

/** Text typed into a search box, settled for `ms`. */
export function useDebounced<T>(value: T, ms = 300): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setV(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return v;
}

/** 问题类别 (the problem_category dictionary) as options: label in the current language, code as the value. */
export function useCategoryOptions() {
  const lang = useLang();
  const { data, isLoading } = useDictionary('problem_category');
  const options = useMemo(
    () => (data ?? []).filter((d) => d.active).map((d) => ({ value: d.code, label: lang === 'en' && d.labelEn ? d.labelEn : d.label })),
    [data, lang],
  );
  return { options, isLoading };
}

export function useCommandOptions() {
  const { data, isLoading } = useCommands();
  return { options: useMemo(() => (data ?? []).filter((c) => c.active).map((c) => ({ value: c.id, label: c.name })), [data]), isLoading, commands: data ?? [] };
}

interface TreeOption {
  value: string;
  title: string;
  children: TreeOption[];
}

/** The org tree as TreeSelect data (active units). */
export function useUnitTree() {
  const { data, isLoading } = useUnits();
  const treeData = useMemo(() => {
    const toOption = (n: UnitNode): TreeOption => ({ value: n.unit.id, title: n.unit.name, children: n.children.map(toOption) });
    return buildUnitForest((data ?? []).filter((u) => u.active)).map(toOption);
  }, [data]);
  return { treeData, isLoading, units: data ?? [] };
}

/** Several units from the org tree (a filter, cooperating units). */
export function UnitsSelect({
  value,
  onChange,
  placeholder,
  exclude,
  testId,
}: {
  value?: string[];
  onChange?: (v: string[]) => void;
  placeholder?: string;
  exclude?: string | null;
  testId?: string;
}) {
  const { treeData, isLoading } = useUnitTree();
  const data = useMemo(() => {
    if (!exclude) return treeData;
    const strip = (list: TreeOption[]): TreeOption[] => list.map((o) => ({ ...o, disabled: o.value === exclude, children: strip(o.children) }));
    return strip(treeData);
  }, [treeData, exclude]);
  return (
    <TreeSelect
      data-testid={testId}
      multiple
      value={value ?? []}
      onChange={(v: string[]) => onChange?.(v)}
      treeData={data}
      loading={isLoading}
      placeholder={placeholder}
      allowClear
      showSearch={{ treeNodeFilterProp: 'title' }}
      treeDefaultExpandAll
      maxTagCount="responsive"
      popupMatchSelectWidth={false}
      style={{ width: '100%' }}
      styles={{ popup: { root: { maxHeight: 420, overflow: 'auto', maxWidth: '92vw' } } }}
    />
  );
}

/** A project, searched by name or code (the server's Chinese search); the chosen one keeps its label. */
export function ProjectPicker({
  value,
  onChange,
  placeholder,
  testId,
  onPicked,
}: {
  value?: string | null;
  onChange?: (v: string | null) => void;
  placeholder?: string;
  testId?: string;
  /** The whole project once picked (the raise form takes its HQ). */
  onPicked?: (p: Project | null) => void;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const q = useDebounced(text.trim());
  const list = useQuery({
    queryKey: ['projects', 'pick', q],
    queryFn: () => api.get<Paged<Project>>('/api/projects', { q: q || undefined, pageSize: 20, sort: 'updatedAt', order: 'desc' }),
    staleTime: 30_000,
  });
  const known = useQuery({
    queryKey: ['projects', 'one', value],
    queryFn: () => api.get<Project>(`/api/projects/${value}`),
    enabled: !!value && !(list.data?.items ?? []).some((p) => p.id === value),
    staleTime: 300_000,
  });
  const projects = useMemo(() => {
    const items = [...(list.data?.items ?? [])];
    if (known.data && !items.some((p) => p.id === known.data.id)) items.unshift(known.data);
    return items;
  }, [list.data, known.data]);
  return (
    <Select
      data-testid={testId}
      showSearch={{ filterOption: false, onSearch: setText }}
      value={value ?? undefined}
      onChange={(v: string | undefined) => {
        onChange?.(v ?? null);
        onPicked?.(projects.find((p) => p.id === v) ?? null);
      }}
      allowClear
      placeholder={placeholder ?? t('problems.pickProject')}
      loading={list.isFetching}
      notFoundContent={list.isFetching ? t('common.loading') : t('problems.noProject')}
      options={projects.map((p) => ({ value: p.id, label: `${p.name}（${p.code}）` }))}
      popupMatchSelectWidth={false}
      style={{ width: '100%' }}
      styles={{ popup: { root: { maxWidth: '92vw' } } }}
    />
  );
}

/** Another open problem (the merge target), searched by code or words. */
export function ProblemPicker({ value, onChange, excludeId, testId }: { value?: string; onChange?: (v: string | undefined) => void; excludeId: string; testId?: string }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const q = useDebounced(text.trim());
  const list = useQuery({
    queryKey: ['problems', 'pick', q],
    queryFn: () => fetchProblems({ q: q || undefined, open: 'true', pageSize: 30, sort: 'raisedAt', order: 'desc' }),
    staleTime: 10_000,
  });
  const items = (list.data?.items ?? []).filter((p) => p.id !== excludeId);
  return (
    <Select
      data-testid={testId}
      showSearch={{ filterOption: false, onSearch: setText }}
      value={value}
      onChange={onChange}
      allowClear
      placeholder={t('problems.form.targetPlaceholder')}
      loading={list.isFetching}
      notFoundContent={list.isFetching ? t('common.loading') : t('problems.empty')}
      options={items.map((p) => ({ value: p.id, label: `${p.code} ${p.title}` }))}
      popupMatchSelectWidth={false}
      style={{ width: '100%' }}
      styles={{ popup: { root: { maxWidth: '92vw' } } }}
    />
  );
}
