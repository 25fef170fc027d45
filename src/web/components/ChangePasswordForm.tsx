import { App, Button, Form, Input, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { authApi } from '../api/auth.ts';
import { applyServerErrors } from './forms.ts';

interface Values {
  currentPassword: string;
  newPassword: string;
  newPassword2: string;
}

/** 修改密码: current, new, new again. The server's policy messages land on 新密码. */
export function ChangePasswordForm({ onDone }: { onDone?: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  return (
    <Form<Values>
      form={form}
      name="changePassword"
      layout="vertical"
      requiredMark={false}
      onFinish={async (v) => {
        try {
          await authApi.changePassword({ currentPassword: v.currentPassword, newPassword: v.newPassword });
          message.success(t('password.changed'));
          form.resetFields();
          onDone?.();
        } catch (e) {
          applyServerErrors(form, e, (m) => message.error(m));
        }
      }}
      style={{ maxWidth: 420 }}
    >
      <Form.Item name="currentPassword" label={t('password.current')} rules={[{ required: true }]}>
        <Input.Password autoComplete="current-password" />
      </Form.Item>
      <Form.Item name="newPassword" label={t('password.new')} rules={[{ required: true }, { max: 128 }]}>
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        name="newPassword2"
        label={t('password.new2')}
        dependencies={['newPassword']}
        rules={[
          { required: true },
          ({ getFieldValue }) => ({
            validator: (_, value) => (!value || value === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('password.mismatch')))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {t('password.policyHint')}
      </Typography.Paragraph>
      <Button type="primary" htmlType="submit" block>
        {t('password.submit')}
      </Button>
    </Form>
  );
}
