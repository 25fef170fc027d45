import { Navigate, useNavigate } from 'react-router';
import { App, Button, Col, Divider, Form, Input, Row, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { setupApi, setupKey, useSetupNeeded } from '../api/auth.ts';
import { AuthShell } from '../components/AuthShell.tsx';
import { QueryState } from '../components/QueryState.tsx';
import { applyServerErrors, rules } from '../components/forms.ts';

interface Values {
  zoneName: string;
  zoneShortName: string;
  adminUsername: string;
  adminDisplayName: string;
  adminPassword: string;
  adminPassword2: string;
}

/** 初始化: the first start of an instance without the demo zone. */
export default function SetupPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const setup = useSetupNeeded();
  if (setup.data === false) return <Navigate to="/login" replace />;
  return (
    <AuthShell title={t('setup.title')} wide>
      <QueryState loading={setup.isLoading} error={setup.error} retry={() => void setup.refetch()}>
        <Typography.Paragraph type="secondary">{t('setup.intro')}</Typography.Paragraph>
        <Form<Values>
          form={form}
          name="setup"
          layout="vertical"
          onFinish={async (v) => {
            try {
              await setupApi.run({
                zoneName: v.zoneName.trim(),
                zoneShortName: v.zoneShortName.trim(),
                adminUsername: v.adminUsername.trim(),
                adminDisplayName: v.adminDisplayName.trim(),
                adminPassword: v.adminPassword,
              });
              qc.setQueryData(setupKey, false);
              message.success(t('setup.done'));
              navigate('/login', { replace: true });
            } catch (e) {
              applyServerErrors(form, e, (m) => message.error(m));
            }
          }}
        >
          <Divider titlePlacement="start" style={{ marginTop: 0 }}>
            {t('setup.zoneSection')}
          </Divider>
          <Row gutter={16}>
            <Col xs={24} md={14}>
              <Form.Item name="zoneName" label={t('setup.zoneName')} rules={[{ required: true, whitespace: true }, { max: 100 }]}>
                <Input placeholder="济南新旧动能转换起步区" />
              </Form.Item>
            </Col>
            <Col xs={24} md={10}>
              <Form.Item name="zoneShortName" label={t('setup.zoneShortName')} rules={[{ required: true, whitespace: true }, { max: 50 }]}>
                <Input placeholder="起步区" />
              </Form.Item>
            </Col>
          </Row>
          <Divider titlePlacement="start">{t('setup.adminSection')}</Divider>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="adminUsername" label={t('setup.adminUsername')} rules={[{ required: true, whitespace: true }, rules.username()]}>
                <Input autoComplete="username" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="adminDisplayName" label={t('setup.adminDisplayName')} rules={[{ required: true, whitespace: true }, { max: 100 }]}>
                <Input />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="adminPassword" label={t('setup.adminPassword')} rules={[{ required: true }, { max: 128 }]}>
                <Input.Password autoComplete="new-password" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name="adminPassword2"
                label={t('setup.adminPassword2')}
                dependencies={['adminPassword']}
                rules={[
                  { required: true },
                  ({ getFieldValue }) => ({
                    validator: (_, value) => (!value || value === getFieldValue('adminPassword') ? Promise.resolve() : Promise.reject(new Error(t('password.mismatch')))),
                  }),
                ]}
              >
                <Input.Password autoComplete="new-password" />
              </Form.Item>
            </Col>
          </Row>
          <Button type="primary" htmlType="submit" block size="large">
            {t('setup.submit')}
          </Button>
        </Form>
      </QueryState>
    </AuthShell>
  );
}
