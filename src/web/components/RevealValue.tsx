import { useEffect, useRef, useState } from 'react';
import { App, Button, Space, Tooltip, Typography } from 'antd';
import { EyeInvisibleOutlined, EyeOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { errorText } from './forms.ts';

const SHOW_SECONDS = 20;

/** A masked value with a 查看 button (when allowed): the audited reveal shows the full value for a short while. */
export function RevealValue({ masked, canReveal, reveal }: { masked: string | null; canReveal: boolean; reveal: () => Promise<string> }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [shown, setShown] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  if (!masked) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Space size={4} style={{ whiteSpace: 'nowrap' }}>
      <Typography.Text className="qibu-mono" copyable={shown ? { text: shown } : false}>
        {shown ?? masked}
      </Typography.Text>
      {canReveal && !shown && (
        <Tooltip title={t('common.revealHint', { seconds: SHOW_SECONDS })}>
          <Button
            size="small"
            type="link"
            icon={<EyeOutlined />}
            loading={busy}
            aria-label={t('common.reveal')}
            onClick={async () => {
              setBusy(true);
              try {
                const value = await reveal();
                setShown(value);
                clearTimeout(timer.current);
                timer.current = setTimeout(() => setShown(null), SHOW_SECONDS * 1000);
              } catch (e) {
                message.error(errorText(e));
              } finally {
                setBusy(false);
              }
            }}
          >
            {t('common.reveal')}
          </Button>
        </Tooltip>
      )}
      {shown && <Button size="small" type="link" icon={<EyeInvisibleOutlined />} onClick={() => setShown(null)} aria-label="hide" />}
    </Space>
  );
}
