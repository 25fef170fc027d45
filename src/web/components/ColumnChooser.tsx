import { useState } from 'react';
import { Button, Checkbox, Flex, Space, Typography } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';

/**
 * Tick the columns to show and move them up and down; the export follows the choice. Used by the ledger and the
 * problem list.
 */
export function ColumnChooser<K extends string>({
  keys,
  defaults,
  fixed,
  value,
  onChange,
  title,
}: {
  keys: readonly K[];
  defaults: readonly K[];
  /** Always shown (the link column). */
  fixed?: K;
  value: K[];
  onChange: (v: K[]) => void;
  title: (k: K) => string;
}) {
  const { t } = useTranslation();
  const ordered = [...value, ...keys.filter((k) => !value.includes(k))];
  const move = (k: K, by: -1 | 1) => {
    const i = value.indexOf(k);
    const j = i + by;
    if (i < 0 || j < 0 || j >= value.length) return;
    const next = [...value];
    [next[i], next[j]] = [next[j]!, next[i]!];
    onChange(next);
  };
  return (
    <div style={{ width: 280 }} data-testid="column-chooser">
      <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12, marginBottom: 8 }}>
        {t('projects.columnsHint')}
      </Typography.Text>
      <div style={{ maxHeight: 380, overflow: 'auto' }}>
        {ordered.map((k) => {
          const on = value.includes(k);
          const i = value.indexOf(k);
          return (
            <Flex key={k} align="center" justify="space-between" style={{ padding: '2px 0' }}>
              <Checkbox
                checked={on}
                disabled={k === fixed}
                onChange={(e) => onChange(e.target.checked ? [...value, k] : value.filter((x) => x !== k))}
                data-testid={`col-${k}`}
              >
                {title(k)}
              </Checkbox>
              {on && (
                <Space size={0}>
                  <Button size="small" type="text" icon={<ArrowUpOutlined />} disabled={i === 0} onClick={() => move(k, -1)} aria-label={t('projects.moveUp')} />
                  <Button size="small" type="text" icon={<ArrowDownOutlined />} disabled={i === value.length - 1} onClick={() => move(k, 1)} aria-label={t('projects.moveDown')} />
                </Space>
              )}
            </Flex>
          );
        })}
      </div>
      <Button size="small" type="link" style={{ padding: 0, marginTop: 8 }} onClick={() => onChange([...defaults])}>
        {t('projects.columnsReset')}
      </Button>
    </div>
  );
}

/** The chosen columns, remembered in localStorage under `storageKey`. */
export function useColumnChoice<K extends string>(storageKey: string, keys: readonly K[], defaults: readonly K[]) {
  const [cols, setCols] = useState<K[]>(() => {
    try {
      const raw = JSON.parse(localStorage.getItem(storageKey) ?? 'null') as unknown;
      if (Array.isArray(raw)) {
        const chosen = raw.filter((k): k is K => (keys as readonly string[]).includes(k as string));
        if (chosen.length) return chosen;
      }
    } catch {
      // fall back to the defaults
    }
    return [...defaults];
  });
  const save = (next: K[]) => {
    setCols(next);
    try {
      localStorage.setItem(storageKey, JSON.stringify(next));
    } catch {
      // private mode: lasts for this page
    }
  };
  return [cols, save] as const;
}
