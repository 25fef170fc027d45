import { useState } from 'react';
import { App, Button } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { download, type Query } from '../api/client.ts';
import { errorText } from './forms.ts';

/** 导出Excel with the list's current filters; the server names the file. */
export function ExportButton({ path, query, fileName }: { path: string; query?: Query; fileName?: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  return (
    <Button
      icon={<DownloadOutlined />}
      loading={busy}
      onClick={async () => {
        setBusy(true);
        try {
          const { page: _page, pageSize: _size, ...filters } = query ?? {};
          const name = await download(path, filters, fileName);
          message.success(t('common.exported', { name }));
        } catch (e) {
          message.error(errorText(e));
        } finally {
          setBusy(false);
        }
      }}
    >
      {t('common.export')}
    </Button>
  );
}
