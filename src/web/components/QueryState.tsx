import type { ReactNode } from 'react';
import { Alert, Button, Flex, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorText } from './forms.ts';

/** Loading spinner or a load error with 重试, else the children. */
export function QueryState({ loading, error, retry, children }: { loading: boolean; error: unknown; retry?: () => void; children: ReactNode }) {
  const { t } = useTranslation();
  if (error)
    return (
      <Alert
        type="error"
        showIcon
        title={t('common.loadFailed', { message: errorText(error) })}
        action={retry && <Button size="small" onClick={retry}>{t('common.retry')}</Button>}
      />
    );
  if (loading)
    return (
      <Flex justify="center" style={{ padding: 48 }}>
        <Spin />
      </Flex>
    );
  return <>{children}</>;
}
