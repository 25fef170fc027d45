import { App, Button } from 'antd';
import { DeleteOutlined } from '@ant-design/icons';
import { useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { errorText } from './forms.ts';

/**
 * 删除 with a confirmation naming the record: runs `remove`, says so, and refreshes `invalidate` whatever the
 * outcome (a failed delete may mean someone else changed the record).
 */
export function DeleteButton({ name, remove, invalidate, onDeleted }: { name: string; remove: () => Promise<unknown>; invalidate: QueryKey; onDeleted?: () => void }) {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const qc = useQueryClient();
  return (
    <Button
      danger
      icon={<DeleteOutlined />}
      onClick={() =>
        modal.confirm({
          title: t('common.delete'),
          content: t('common.deleteConfirm', { name }),
          okType: 'danger',
          onOk: async () => {
            try {
              await remove();
              message.success(t('common.deleted'));
              onDeleted?.();
            } catch (e) {
              message.error(errorText(e));
            } finally {
              await qc.invalidateQueries({ queryKey: invalidate });
            }
          },
        })
      }
    />
  );
}
