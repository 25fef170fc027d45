import { useMemo, useState } from 'react';
import { Alert, App, Button, Card, Col, Drawer, Flex, Form, Input, Modal, Row, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { EditOutlined, KeyOutlined, PlusOutlined, StopOutlined, CheckCircleOutlined, SafetyOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ADMIN_ROLES, BUSINESS_ROLES, ROLES, rolesConflict, type Role } from '../../shared/roles.ts';
import { useEnterprises } from '../api/enterprises.ts';
import type { User } from '../api/types.ts';
import { usersApi, useUsers, type UserFilters } from '../api/users.ts';
import { ExportButton } from '../components/ExportButton.tsx';
import { RoleTags, roleLabel } from '../components/Labels.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { QueryState } from '../components/QueryState.tsx';
import { RevealValue } from '../components/RevealValue.tsx';
import { UnitTreeSelect } from '../components/UnitTreeSelect.tsx';
import { dash, formatDateTime } from '../components/format.ts';
import { applyServerErrors, changed, clean, compact, errorText, rules } from '../components/forms.ts';
import { useCurrentUser } from '../components/session.tsx';
import { useIsMobile } from '../components/useIsMobile.ts';
import { useLang } from '../i18n/index.ts';

interface FormValues {
  username: string;
  displayName: string;
  title?: string;
  unitId?: string | null;
  enterpriseId?: string | null;
  email?: string;
  phone?: string;
  roles: Role[];
  password?: string;
  password2?: string;
}

function userValues(u: User | null): FormValues {
  return {
    username: u?.username ?? '',
    displayName: u?.displayName ?? '',
    title: u?.title ?? '',
    unitId: u?.unit?.id ?? null,
    enterpriseId: u?.enterprise?.id ?? null,
    email: u?.email ?? '',
    phone: '',
    roles: u?.roles ?? [],
  };
}

function passwordRules(t: (k: 'password.mismatch') => string, other: string) {
  return [
    { required: true },
    ({ getFieldValue }: { getFieldValue: (n: string) => unknown }) => ({
      validator: (_: unknown, value: string | undefined) => (!value || value === getFieldValue(other) ? Promise.resolve() : Promise.reject(new Error(t('password.mismatch')))),
    }),
  ];
}

function EnterpriseSelect({ value, onChange }: { value?: string | null; onChange?: (v: string | null) => void }) {
  const [q, setQ] = useState('');
  const { data, isLoading } = useEnterprises({ q: q || undefined, page: 1, pageSize: 30 });
  return (
    <Select
      allowClear
      value={value ?? undefined}
      onChange={(v: string | undefined) => onChange?.(v ?? null)}
      showSearch={{ filterOption: false, onSearch: setQ }}
      loading={isLoading}
      options={(data?.items ?? []).map((e) => ({ value: e.id, label: e.name }))}
    />
  );
}

function UserDrawer({ open, user, onClose, onSaved }: { open: boolean; user: User | null; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const { message } = App.useApp();
  const mobile = useIsMobile();
  const [form] = Form.useForm<FormValues>();
  const [busy, setBusy] = useState(false);
  const roles = Form.useWatch('roles', form) ?? [];
  const conflict = rolesConflict(roles);
  const roleOptions = [
    { label: t('users.roles') + ' · ' + (lang === 'en' ? 'Business' : '业务'), options: BUSINESS_ROLES.map((r) => ({ value: r, label: roleLabel(r, lang) })) },
    { label: t('users.roles') + ' · ' + (lang === 'en' ? 'Admin (三员)' : '三员'), options: ADMIN_ROLES.map((r) => ({ value: r, label: roleLabel(r, lang) })) },
  ];
  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={mobile ? '100%' : 720}
      title={user ? `${t('users.editTitle')} · ${user.displayName}` : t('users.create')}
      destroyOnHidden
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={busy} onClick={() => form.submit()} data-testid="user-save">
            {t('common.save')}
          </Button>
        </Flex>
      }
    >
      <Form<FormValues>
        form={form}
        name="user"
        layout="vertical"
        preserve={false}
        initialValues={userValues(user)}
        onFinish={async (v) => {
          setBusy(true);
          try {
            const { password, password2: _p2, username, ...rest } = v;
            const next = clean({ ...rest, enterpriseId: v.roles.includes('enterprise_contact') ? (v.enterpriseId ?? null) : null });
            if (user) {
              const patch = changed(clean({ ...userValues(user) }) as unknown as Record<string, unknown>, next);
              delete (patch as Record<string, unknown>).username;
              if (!next.phone) delete patch.phone;
              await usersApi.update(user.id, { ...patch, version: user.version });
            } else {
              await usersApi.create({ ...compact(next), username: username.trim(), displayName: v.displayName.trim(), roles: v.roles, password: password ?? '' });
            }
            message.success(user ? t('common.saved') : t('common.created'));
            onSaved();
          } catch (e) {
            applyServerErrors(form, e, (m) => message.error(m));
          } finally {
            setBusy(false);
          }
        }}
      >
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="username" label={t('users.username')} rules={user ? [] : [rules.required(), rules.username()]}>
              <Input disabled={!!user} autoComplete="off" className="qibu-mono" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="displayName" label={t('users.displayName')} rules={[rules.required(), rules.max(100)]}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="title" label={t('users.title_')} rules={[rules.max(100)]}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="unitId" label={t('users.unit')}>
              <UnitTreeSelect />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="phone" label={t('users.phone')} normalize={(v: string | undefined) => v?.trim()} rules={[rules.phone()]}>
              <Input maxLength={11} inputMode="tel" className="qibu-mono" placeholder={user?.phone ? `${user.phone}（${t('common.keepBlank')}）` : undefined} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="email" label={t('users.email')} rules={[rules.email(), rules.max(254)]}>
              <Input inputMode="email" />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Alert type={conflict ? 'error' : 'info'} showIcon icon={<SafetyOutlined />} title={t('users.rolesRule')} style={{ marginBottom: 12 }} />
            <Form.Item
              name="roles"
              label={t('users.roles')}
              rules={[
                { required: true, type: 'array', min: 1 },
                { validator: (_, value: Role[] | undefined) => (value && rolesConflict(value) ? Promise.reject(new Error(t('users.rolesConflict'))) : Promise.resolve()) },
              ]}
            >
              <Select mode="multiple" options={roleOptions} showSearch={{ optionFilterProp: 'label' }} data-testid="user-roles" />
            </Form.Item>
          </Col>
          {roles.includes('enterprise_contact') && (
            <Col xs={24}>
              <Form.Item name="enterpriseId" label={t('users.enterprise')} rules={[{ required: true }]}>
                <EnterpriseSelect />
              </Form.Item>
            </Col>
          )}
          {!user && (
            <>
              <Col xs={24} md={12}>
                <Form.Item name="password" label={t('users.password')} rules={[{ required: true }, { max: 128 }]} extra={t('users.passwordHint')}>
                  <Input.Password autoComplete="new-password" />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item name="password2" label={t('users.password2')} dependencies={['password']} rules={passwordRules(t, 'password')}>
                  <Input.Password autoComplete="new-password" />
                </Form.Item>
              </Col>
            </>
          )}
        </Row>
      </Form>
    </Drawer>
  );
}

function ResetPasswordModal({ user, onClose }: { user: User | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ password: string; password2: string }>();
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      open={!!user}
      title={user ? t('users.resetTitle', { name: user.displayName }) : ''}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={busy}
      okText={t('users.resetPassword')}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('users.resetHint')}</Typography.Paragraph>
      <Form
        form={form}
        name="resetPassword"
        layout="vertical"
        preserve={false}
        onFinish={async (v) => {
          if (!user) return;
          setBusy(true);
          try {
            await usersApi.resetPassword(user.id, v.password);
            message.success(t('users.resetDone'));
            onClose();
          } catch (e) {
            applyServerErrors(form, e, (m) => message.error(m));
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item name="password" label={t('password.new')} rules={[{ required: true }, { max: 128 }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="password2" label={t('password.new2')} dependencies={['password']} rules={passwordRules(t, 'password')}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 用户: the sys_admin's account management; for business roles a read-only directory. */
export default function UsersPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const { message, modal } = App.useApp();
  const me = useCurrentUser();
  const mobile = useIsMobile();
  const qc = useQueryClient();
  const admin = me.roles.includes('sys_admin');
  const [filters, setFilters] = useState<UserFilters>({ page: 1, pageSize: 20 });
  const [q, setQ] = useState('');
  const [editing, setEditing] = useState<{ user: User | null } | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);
  const { data, isLoading, isFetching, error, refetch } = useUsers(filters);
  const refresh = () => void qc.invalidateQueries({ queryKey: ['users'] });

  const toggle = (u: User, disable: boolean) => {
    const run = async () => {
      try {
        if (disable) await usersApi.disable(u.id, u.version);
        else await usersApi.enable(u.id, u.version);
        message.success(disable ? t('users.disabledDone') : t('users.enabledDone'));
      } catch (e) {
        message.error(errorText(e));
      } finally {
        refresh();
      }
    };
    if (disable) modal.confirm({ title: t('users.disable'), content: t('users.disableConfirm', { name: u.displayName }), okType: 'danger', onOk: run });
    else void run();
  };

  const columns = useMemo(
    () => [
      {
        title: t('users.displayName'),
        key: 'name',
        fixed: mobile ? undefined : ('left' as const),
        width: 200,
        render: (_: unknown, u: User) => (
          <div>
            <Typography.Text strong>{u.displayName}</Typography.Text>
            <div>
              <Typography.Text type="secondary" className="qibu-mono" style={{ fontSize: 12 }}>
                {u.username}
              </Typography.Text>
            </div>
          </div>
        ),
      },
      { title: t('users.title_'), dataIndex: 'title', width: 200, ellipsis: true, render: (v: string | null) => dash(v) },
      { title: t('users.unit'), key: 'unit', width: 180, render: (_: unknown, u: User) => dash(u.unit?.name ?? u.enterprise?.name) },
      { title: t('users.roles'), key: 'roles', width: 200, render: (_: unknown, u: User) => <RoleTags roles={u.roles} /> },
      {
        title: t('users.phone'),
        key: 'phone',
        width: 190,
        render: (_: unknown, u: User) => <RevealValue masked={u.phone} canReveal={u.can.reveal} reveal={() => usersApi.reveal(u.id)} />,
      },
      ...(admin
        ? [
            {
              title: t('users.status'),
              key: 'status',
              width: 150,
              render: (_: unknown, u: User) => (
                <Space size={[4, 4]} wrap>
                  {u.disabled ? <Tag color="default">{t('users.disabled')}</Tag> : u.locked ? <Tag color="orange">{t('users.locked')}</Tag> : <Tag color="green">{t('users.normal')}</Tag>}
                  {u.totpEnabled && (
                    <Tooltip title={t('users.totp')}>
                      <Tag color="blue" icon={<SafetyOutlined />}>
                        2FA
                      </Tag>
                    </Tooltip>
                  )}
                </Space>
              ),
            },
            { title: t('users.lastSignInAt'), dataIndex: 'lastSignInAt', width: 170, render: (v: string | null) => formatDateTime(v) },
            {
              title: t('common.actions'),
              key: 'actions',
              fixed: mobile ? undefined : ('right' as const),
              width: 250,
              render: (_: unknown, u: User) => (
                <Space size={0} wrap>
                  {u.can.update && (
                    <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing({ user: u })}>
                      {t('common.edit')}
                    </Button>
                  )}
                  {u.can.disable && !u.disabled && (
                    <Button type="link" size="small" danger icon={<StopOutlined />} onClick={() => toggle(u, true)}>
                      {t('users.disable')}
                    </Button>
                  )}
                  {u.can.enable && u.disabled && (
                    <Button type="link" size="small" icon={<CheckCircleOutlined />} onClick={() => toggle(u, false)}>
                      {t('users.enable')}
                    </Button>
                  )}
                  {u.can.resetPassword && (
                    <Button type="link" size="small" icon={<KeyOutlined />} onClick={() => setResetting(u)}>
                      {t('users.resetPassword')}
                    </Button>
                  )}
                </Space>
              ),
            },
          ]
        : []),
    ],
    [t, lang, mobile, admin],
  );

  return (
    <>
      <PageHeader
        title={admin ? t('users.title') : t('users.directoryTitle')}
        subtitle={admin ? t('users.subtitle') : t('users.directorySubtitle')}
        extra={
          <>
            {admin && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ user: null })}>
                {t('users.create')}
              </Button>
            )}
            <ExportButton path={usersApi.exportPath} query={{ ...filters }} />
          </>
        }
      />
      <Card styles={{ body: { padding: mobile ? 12 : 20 } }}>
        <Row gutter={[12, 12]} style={{ marginBottom: 16 }}>
          <Col xs={24} md={8} xl={6}>
            <Input.Search allowClear placeholder={t('users.searchPlaceholder')} value={q} onChange={(e) => setQ(e.target.value)} onSearch={(v) => setFilters({ ...filters, q: v.trim() || undefined, page: 1 })} />
          </Col>
          <Col xs={24} md={8} xl={6}>
            <UnitTreeSelect placeholder={t('users.unitFilter')} value={filters.unitId ?? null} onChange={(v) => setFilters({ ...filters, unitId: v ?? undefined, page: 1 })} />
          </Col>
          <Col xs={24} md={8} xl={5}>
            <Select<Role>
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('users.roleFilter')}
              value={filters.role}
              onChange={(v) => setFilters({ ...filters, role: v ?? undefined, page: 1 })}
              options={ROLES.map((r) => ({ value: r, label: roleLabel(r, lang) }))}
              style={{ width: '100%' }}
            />
          </Col>
        </Row>
        <QueryState loading={false} error={error} retry={() => void refetch()}>
          <Table<User>
            rowKey="id"
            loading={isLoading || isFetching}
            dataSource={data?.items ?? []}
            columns={columns}
            scroll={{ x: admin ? 1500 : 980 }}
            size={mobile ? 'small' : 'middle'}
            rowClassName={(u) => (u.disabled ? 'qibu-row-muted' : '')}
            pagination={{
              current: filters.page,
              pageSize: filters.pageSize,
              total: data?.total ?? 0,
              showSizeChanger: !mobile,
              showTotal: (total) => t('common.total', { total }),
              onChange: (page, pageSize) => setFilters({ ...filters, page, pageSize }),
              size: mobile ? 'small' : undefined,
            }}
          />
        </QueryState>
      </Card>
      <UserDrawer
        open={!!editing}
        user={editing?.user ?? null}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          refresh();
        }}
      />
      <ResetPasswordModal user={resetting} onClose={() => setResetting(null)} />
    </>
  );
}
