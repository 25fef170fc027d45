import { useEffect, useMemo, useRef, useState } from 'react';
import { Select, Spin } from 'antd';
import { searchUsers } from '../api/users.ts';

export interface PickedUser {
  id: string;
  label: string;
  unitId?: string | null;
}

export interface UserPickerProps {
  value?: string;
  onChange?: (value: string, user: PickedUser | undefined) => void;
  /** Labels for ids already chosen (they may not be in the first page of search results). */
  known?: PickedUser[];
  placeholder?: string;
  disabled?: boolean;
  allowClear?: boolean;
}

/** Choose a user by typing a name or username (GET /api/users?q=). */
export function UserPicker({ value, onChange, known = [], placeholder, disabled, allowClear }: UserPickerProps) {
  const [options, setOptions] = useState<PickedUser[]>([]);
  const [loading, setLoading] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const seq = useRef(0);

  const run = (q: string) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(async () => {
      const mine = ++seq.current;
      setLoading(true);
      try {
        const users = await searchUsers(q);
        if (mine === seq.current)
          setOptions(users.map((u) => ({ id: u.id, unitId: u.unit?.id ?? null, label: `${u.displayName}（${u.username}${u.unit ? ` · ${u.unit.name}` : ''}）` })));
      } catch {
        if (mine === seq.current) setOptions([]);
      } finally {
        if (mine === seq.current) setLoading(false);
      }
    }, 250);
  };

  useEffect(() => () => clearTimeout(timer.current), []);

  const merged = useMemo(() => {
    const map = new Map<string, PickedUser>();
    for (const k of known) map.set(k.id, k);
    for (const o of options) map.set(o.id, o);
    return [...map.values()];
  }, [known, options]);

  return (
    <Select
      showSearch={{ filterOption: false, onSearch: run }}
      value={value}
      disabled={disabled}
      allowClear={allowClear}
      placeholder={placeholder}
      notFoundContent={loading ? <Spin size="small" /> : undefined}
      onOpenChange={(open) => {
        if (open && !options.length) run('');
      }}
      onChange={(v: string) => onChange?.(v, merged.find((m) => m.id === v))}
      options={merged.map((m) => ({ value: m.id, label: m.label }))}
      style={{ width: '100%' }}
      popupMatchSelectWidth={false}
    />
  );
}
