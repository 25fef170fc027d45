import { useMemo } from 'react';
import { TreeSelect } from 'antd';
import { buildUnitForest, useUnits, type UnitNode } from '../api/units.ts';
import type { Unit } from '../api/types.ts';

interface TreeOption {
  value: string;
  title: string;
  disabled?: boolean;
  children: TreeOption[];
}

export interface UnitTreeSelectProps {
  value?: string | null;
  onChange?: (value: string | null) => void;
  placeholder?: string;
  /** Units that may not be chosen (shown grey). */
  isDisabled?: (unit: Unit) => boolean;
  allowClear?: boolean;
  style?: React.CSSProperties;
  'data-testid'?: string;
}

/** Pick one unit from the org tree (searchable; works as an antd Form control). */
export function UnitTreeSelect({ value, onChange, placeholder, isDisabled, allowClear = true, style, ...rest }: UnitTreeSelectProps) {
  const { data, isLoading } = useUnits();
  const treeData = useMemo(() => {
    const toOption = (n: UnitNode): TreeOption => ({
      value: n.unit.id,
      title: n.unit.name,
      disabled: isDisabled?.(n.unit) ?? false,
      children: n.children.map(toOption),
    });
    return buildUnitForest(data ?? []).map(toOption);
  }, [data, isDisabled]);
  return (
    <TreeSelect
      data-testid={rest['data-testid']}
      value={value ?? undefined}
      onChange={(v: string | undefined) => onChange?.(v ?? null)}
      treeData={treeData}
      loading={isLoading}
      placeholder={placeholder}
      allowClear={allowClear}
      showSearch={{ treeNodeFilterProp: 'title' }}
      treeDefaultExpandAll
      popupMatchSelectWidth={false}
      style={{ width: '100%', ...style }}
      styles={{ popup: { root: { maxHeight: 420, overflow: 'auto', maxWidth: '92vw' } } }}
    />
  );
}
