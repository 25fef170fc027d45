import { useState } from 'react';
import { App, Button, Card, Col, Drawer, Flex, Form, Input, Row, Space, Table, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { checkCreditCode } from '../../shared/credit-code.ts';
import { enterprisesApi, useEnterprises, type EnterpriseFilters, type EnterpriseInput } from '../api/enterprises.ts';
import type { Enterprise } from '../api/types.ts';
import { ExportButton } from '../components/ExportButton.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { QueryState } from '../components/QueryState.tsx';
import { RevealValue } from '../components/RevealValue.tsx';
import { UnitTreeSelect } from '../components/UnitTreeSelect.tsx';
import { dash } from '../components/format.ts';
import { applyServerErrors, changed, clean, compact, errorText, rules } from '../components/forms.ts';
import { useCurrentUser } from '../components/session.tsx';
import { useIsMobile } from '../components/useIsMobile.ts';
import i18n from '../i18n/index.ts';
import { ORG_READ } from '../modules.tsx';

type FormValues = Omit<EnterpriseInput, 'unitId'> & { unitId?: string | null };

/** The server's credit-code check (src/shared/credit-code.ts) with the same messages. */
export function creditCodeValidator(_: unknown, value: string | undefined): Promise<void> {
  if (!value) return Promise.resolve();
  const problem = checkCreditCode(value);
  return problem ? Promise.reject(new Error(i18n.t(`validation.creditCode.${problem}`))) : Promise.resolve();
}

function formValues(e: Enterprise | null): FormValues {
  return {
    name: e?.name ?? '',
    creditCode: e?.creditCode ?? '',
    legalRepresentative: e?.legalRepresentative ?? '',
    contactName: e?.contactName ?? '',
    industry: e?.industry ?? '',
    address: e?.address ?? '',
    unitId: e?.unit?.id ?? null,
    // personal data: never prefilled with the masked value; blank keeps what is stored
    contactPhone: '',
    legalRepIdNumber: '',
  };
}

function EnterpriseDrawer({ open, enterprise, onClose, onSaved }: { open: boolean; enterprise: Enterprise | null; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const mobile = useIsMobile();
  const [form] = Form.useForm<FormValues>();
  const [busy, setBusy] = useState(false);
  const masked = (v: string | null | undefined) => (enterprise && v ? `${v}（${t('common.keepBlank')}）` : undefined);
  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={mobile ? '100%' : 720}
      title={enterprise ? t('enterprises.editTitle') : t('enterprises.create')}
      destroyOnHidden
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={busy} onClick={() => form.submit()}>
            {t('common.save')}
          </Button>
        </Flex>
      }
    >
      <Form<FormValues>
        form={form}
        name="enterprise"
        layout="vertical"
        preserve={false}
        initialValues={formValues(enterprise)}
        onFinish={async (v) => {
          setBusy(true);
          try {
            const next = clean(v);
            if (enterprise) {
              const base = clean(formValues(enterprise));
              const patch = changed(base, next);
              // blank personal-data fields mean "keep"
              if (!next.contactPhone) delete patch.contactPhone;
              if (!next.legalRepIdNumber) delete patch.legalRepIdNumber;
              await enterprisesApi.update(enterprise.id, { ...patch, version: enterprise.version });
            } else {
              await enterprisesApi.create({ ...compact(next), name: v.name.trim(), creditCode: v.creditCode });
            }
            message.success(enterprise ? t('common.saved') : t('common.created'));
            onSaved();
          } catch (e) {
            applyServerErrors(form, e, (m) => message.error(m));
          } finally {
            setBusy(false);
          }
        }}
      >
        <Row gutter={16}>
          <Col xs={24}>
            <Form.Item name="name" label={t('enterprises.name')} rules={[rules.required(), rules.max(200)]}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="creditCode"
              label={t('enterprises.creditCode')}
              normalize={(v: string | undefined) => v?.toUpperCase().replace(/\s/g, '')}
              rules={[rules.requiredSelect(), { validator: creditCodeValidator }]}
              validateFirst
            >
              <Input maxLength={18} className="qibu-mono" showCount />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="industry" label={t('enterprises.industry')} rules={[rules.max(50)]}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="unitId" label={t('enterprises.unit')}>
              <UnitTreeSelect />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="legalRepresentative" label={t('enterprises.legalRepresentative')} rules={[rules.max(50)]}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="legalRepIdNumber" label={t('enterprises.legalRepIdNumber')} normalize={(v: string | undefined) => v?.toUpperCase().trim()} rules={[rules.idNumber()]}>
              <Input maxLength={18} className="qibu-mono" placeholder={masked(enterprise?.legalRepIdNumber)} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="contactName" label={t('enterprises.contactName')} rules={[rules.max(50)]}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="contactPhone" label={t('enterprises.contactPhone')} normalize={(v: string | undefined) => v?.trim()} rules={[rules.phone()]}>
              <Input maxLength={11} inputMode="tel" className="qibu-mono" placeholder={masked(enterprise?.contactPhone)} />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="address" label={t('enterprises.address')} rules={[rules.max(300)]}>
              <Input />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Drawer>
  );
}

/** 企业: search, page, create/edit with the credit-code check, audited reveal of personal data, export. */
export default function EnterprisesPage() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const me = useCurrentUser();
  const mobile = useIsMobile();
  const qc = useQueryClient();
  const [filters, setFilters] = useState<EnterpriseFilters>({ page: 1, pageSize: 20 });
  const [draft, setDraft] = useState<{ q?: string; unitId?: string | null; industry?: string }>({});
  const [editing, setEditing] = useState<{ enterprise: Enterprise | null } | null>(null);
  const { data, isLoading, isFetching, error, refetch } = useEnterprises(filters);
  const canCreate = me.roles.includes('sys_admin') || me.roles.includes('service_agent');
  // enterprise contacts see their own company only and cannot read the org tree
  const seesUnits = me.roles.some((r) => ORG_READ.includes(r));
  const refresh = () => void qc.invalidateQueries({ queryKey: ['enterprises'] });
  const apply = () => setFilters({ ...filters, q: draft.q?.trim() || undefined, unitId: draft.unitId ?? undefined, industry: draft.industry?.trim() || undefined, page: 1 });

  return (
    <>
      <PageHeader
        title={t('enterprises.title')}
        subtitle={t('enterprises.subtitle')}
        extra={
          <>
            {canCreate && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ enterprise: null })}>
                {t('enterprises.create')}
              </Button>
            )}
            <ExportButton path={enterprisesApi.exportPath} query={{ ...filters }} />
          </>
        }
      />
      <Card styles={{ body: { padding: mobile ? 12 : 20 } }}>
        <Row gutter={[12, 12]} style={{ marginBottom: 16 }}>
          <Col xs={24} md={8} xl={6}>
            <Input.Search allowClear placeholder={t('enterprises.searchPlaceholder')} value={draft.q} onChange={(e) => setDraft({ ...draft, q: e.target.value })} onSearch={apply} />
          </Col>
          {seesUnits && (
            <Col xs={24} md={8} xl={6}>
              <UnitTreeSelect placeholder={t('enterprises.unit')} value={draft.unitId ?? null} onChange={(v) => setDraft({ ...draft, unitId: v })} />
            </Col>
          )}
          <Col xs={16} md={5} xl={4}>
            <Input allowClear placeholder={t('enterprises.industry')} value={draft.industry} onChange={(e) => setDraft({ ...draft, industry: e.target.value })} onPressEnter={apply} />
          </Col>
          <Col xs={8} md={3} xl={4}>
            <Space>
              <Button type="primary" onClick={apply}>
                {t('common.search')}
              </Button>
              {!mobile && (
                <Button
                  onClick={() => {
                    setDraft({});
                    setFilters({ page: 1, pageSize: filters.pageSize });
                  }}
                >
                  {t('common.reset')}
                </Button>
              )}
            </Space>
          </Col>
        </Row>
        <QueryState loading={false} error={error} retry={() => void refetch()}>
          <Table<Enterprise>
            rowKey="id"
            loading={isLoading || isFetching}
            dataSource={data?.items ?? []}
            scroll={{ x: 1300 }}
            size={mobile ? 'small' : 'middle'}
            pagination={{
              current: filters.page,
              pageSize: filters.pageSize,
              total: data?.total ?? 0,
              showSizeChanger: !mobile,
              showTotal: (total) => t('common.total', { total }),
              onChange: (page, pageSize) => setFilters({ ...filters, page, pageSize }),
              size: mobile ? 'small' : undefined,
            }}
            columns={[
              { title: t('enterprises.name'), dataIndex: 'name', fixed: mobile ? undefined : 'left', width: 280, render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
              { title: t('enterprises.creditCode'), dataIndex: 'creditCode', width: 200, render: (v: string) => <Typography.Text className="qibu-mono" copyable>{v}</Typography.Text> },
              { title: t('enterprises.industry'), dataIndex: 'industry', width: 110, render: (v: string | null) => dash(v) },
              { title: t('enterprises.unit'), key: 'unit', width: 170, render: (_, e) => dash(e.unit?.name) },
              { title: t('enterprises.legalRepresentative'), dataIndex: 'legalRepresentative', width: 110, render: (v: string | null) => dash(v) },
              { title: t('enterprises.contactName'), dataIndex: 'contactName', width: 140, render: (v: string | null) => dash(v) },
              {
                title: t('enterprises.contactPhone'),
                key: 'phone',
                width: 190,
                render: (_, e) => <RevealValue masked={e.contactPhone} canReveal={e.can.reveal} reveal={() => enterprisesApi.reveal(e.id, 'contactPhone')} />,
              },
              {
                title: t('common.actions'),
                key: 'actions',
                fixed: mobile ? undefined : 'right',
                width: 130,
                render: (_, e) => (
                  <Space size={0}>
                    {e.can.update && (
                      <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing({ enterprise: e })}>
                        {t('common.edit')}
                      </Button>
                    )}
                    {e.can.delete && (
                      <Button
                        type="link"
                        size="small"
                        danger
                        icon={<DeleteOutlined />}
                        aria-label={t('common.delete')}
                        onClick={() =>
                          modal.confirm({
                            title: t('common.delete'),
                            content: t('common.deleteConfirm', { name: e.name }),
                            okType: 'danger',
                            onOk: async () => {
                              try {
                                await enterprisesApi.remove(e.id, e.version);
                                message.success(t('common.deleted'));
                              } catch (err) {
                                message.error(errorText(err));
                              } finally {
                                refresh();
                              }
                            },
                          })
                        }
                      />
                    )}
                  </Space>
                ),
              },
            ]}
            expandable={{
              expandedRowRender: (e) => (
                <Space orientation="vertical" size={4}>
                  <span>
                    {t('enterprises.address')}：{dash(e.address)}
                  </span>
                  <span>
                    {t('enterprises.legalRepIdNumber')}：
                    <RevealValue masked={e.legalRepIdNumber} canReveal={e.can.reveal} reveal={() => enterprisesApi.reveal(e.id, 'legalRepIdNumber')} />
                  </span>
                </Space>
              ),
            }}
          />
        </QueryState>
      </Card>
      <EnterpriseDrawer
        open={!!editing}
        enterprise={editing?.enterprise ?? null}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          refresh();
        }}
      />
    </>
  );
}
