import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

type KindKey = 'auto_remind' | 'escalate' | 'remind' | 'supervise' | 'assigned' | 'other';

const COLORS: Record<KindKey, string> = {
  auto_remind: 'gold',
  escalate: 'red',
  remind: 'orange',
  supervise: 'volcano',
  assigned: 'blue',
  other: 'default',
};

/** problem.auto_remind → auto_remind; anything unknown is a plain notice. */
export function kindKey(kind: string): KindKey {
  const k = kind.replace(/^problem\./, '');
  return k in COLORS ? (k as KindKey) : 'other';
}

/** A small coloured tag for a message's kind (催办 / 督办 / 交办 …). */
export function KindTag({ kind }: { kind: string }) {
  const { t } = useTranslation();
  const k = kindKey(kind);
  return (
    <Tag color={COLORS[k]} style={{ marginInlineEnd: 6 }}>
      {t(`notify.kinds.${k}`)}
    </Tag>
  );
}
