import { useState } from 'react';
import { Alert, App, AutoComplete, Button, Card, Col, DatePicker, Descriptions, Flex, Input, Modal, Row, Select, Space, Table, Tag, Typography } from 'antd';
import { SafetyCertificateOutlined, SearchOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Dayjs } from 'dayjs';
import { ROLES, type Role } from '../../shared/roles.ts';
import { auditApi, useAudit, type AuditFilters } from '../api/audit.ts';
import type { AuditRow, AuditVerifyResult } from '../api/types.ts';
import { ExportButton } from '../components/ExportButton.tsx';
import { roleLabel } from '../components/Labels.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { QueryState } from '../components/QueryState.tsx';
import { formatDateTime } from '../components/format.ts';
import { errorText, fromDay } from '../components/forms.ts';
import { useIsMobile } from '../components/useIsMobile.ts';
import { useLang } from '../i18n/index.ts';
import { zhCN } from '../i18n/zh-CN.ts';

type EntityType = keyof typeof zhCN.audit.entityTypes;
type Verb = keyof typeof zhCN.audit.verbs;
const ENTITY_TYPES = Object.keys(zhCN.audit.entityTypes) as EntityType[];
const KNOWN_ACTIONS = [
  'unit.create',
  'unit.update',
  'unit.delete',
  'command.create',
  'command.update',
  'command.delete',
  'group.create',
  'group.update',
  'enterprise.create',
  'enterprise.update',
  'enterprise.reveal',
  'user.create',
  'user.update',
  'user.disable',
  'user.enable',
  'user.reset_password',
  'user.reveal',
  'auth.login',
  'auth.login_failed',
  'auth.logout',
  'access.denied',
];

interface Draft {
  actor?: string;
  action?: string;
  entityType?: string;
  entityId?: string;
  result?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
}

function useActionLabel() {
  const { t } = useTranslation();
  return (action: string): string => {
    const dot = action.lastIndexOf('.');
    const entity = dot > 0 ? action.slice(0, dot) : action;
    const verb = dot > 0 ? action.slice(dot + 1) : '';
    const e = (ENTITY_TYPES as string[]).includes(entity) ? t(`audit.entityTypes.${entity as EntityType}`) : entity;
    const v = verb in zhCN.audit.verbs ? t(`audit.verbs.${verb as Verb}`) : verb;
    return entity === 'auth' || entity === 'access' ? v || e : `${v}${v && e ? ' · ' : ''}${e}`;
  };
}

function Json({ value }: { value: unknown }) {
  if (value === null || value === undefined)
    return (
      <div className="qibu-json" style={{ color: 'rgba(0,0,0,0.35)' }}>
        —
      </div>
    );
  return <pre className="qibu-json">{JSON.stringify(value, null, 2)}</pre>;
}

function RowDetails({ row }: { row: AuditRow }) {
  const { t } = useTranslation();
  return (
    <Flex vertical gap={12} style={{ padding: '4px 0' }}>
      <Row gutter={[16, 12]}>
        <Col xs={24} lg={12}>
          <Typography.Text strong>{t('audit.before')}</Typography.Text>
          <Json value={row.before} />
        </Col>
        <Col xs={24} lg={12}>
          <Typography.Text strong>{t('audit.after')}</Typography.Text>
          <Json value={row.after} />
        </Col>
      </Row>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('audit.requestId')}: <span className="qibu-mono">{row.requestId ?? '—'}</span> · {t('audit.entityId')}: <span className="qibu-mono">{row.entityId ?? '—'}</span> · {t('audit.chain')}: {row.chainNo} / {row.seq}
      </Typography.Text>
    </Flex>
  );
}

function VerifyResult({ result }: { result: AuditVerifyResult }) {
  const { t } = useTranslation();
  const ok = result.problems.length === 0;
  return (
    <Flex vertical gap={16}>
      <Alert type={ok ? 'success' : 'error'} showIcon title={ok ? t('audit.verifyOk') : t('audit.verifyBad', { count: result.problems.length })} data-testid="audit-verify-result" />
      <Descriptions
        size="small"
        bordered
        column={1}
        items={[
          { key: 'rows', label: t('audit.rowsChecked'), children: result.rowsChecked },
          { key: 'chains', label: t('audit.chainsChecked'), children: result.chainsChecked },
        ]}
      />
      {!ok && (
        <Table
          size="small"
          rowKey={(p) => `${p.chainNo}-${p.seq}-${p.kind}`}
          dataSource={result.problems}
          pagination={false}
          scroll={{ x: 520 }}
          columns={[
            { title: t('audit.chain'), key: 'c', width: 100, render: (_, p) => `${p.chainNo} / ${p.seq}` },
            { title: t('audit.problemKind'), dataIndex: 'kind', width: 140 },
            { title: t('audit.problemDetail'), dataIndex: 'detail' },
          ]}
        />
      )}
    </Flex>
  );
}

/** 审计日志 (audit_admin): filter, page newest first, before/after side by side, export, integrity check. */
export default function AuditPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const { message } = App.useApp();
  const mobile = useIsMobile();
  const actionLabel = useActionLabel();
  const [draft, setDraft] = useState<Draft>({});
  const [filters, setFilters] = useState<AuditFilters>({ page: 1, pageSize: 20 });
  const [verifying, setVerifying] = useState(false);
  const [verified, setVerified] = useState<AuditVerifyResult | null>(null);
  const { data, isLoading, isFetching, error, refetch } = useAudit(filters);

  const apply = () =>
    setFilters({
      page: 1,
      pageSize: filters.pageSize,
      actor: draft.actor?.trim() || undefined,
      action: draft.action?.trim() || undefined,
      entityType: draft.entityType || undefined,
      entityId: draft.entityId?.trim() || undefined,
      result: draft.result || undefined,
      from: fromDay(draft.range?.[0]) ?? undefined,
      to: fromDay(draft.range?.[1]) ?? undefined,
    });

  const rolesText = (s: string | null) =>
    (s ?? '')
      .split(',')
      .filter(Boolean)
      .map((r) => ((ROLES as readonly string[]).includes(r) ? roleLabel(r as Role, lang) : r))
      .join('、');

  return (
    <>
      <PageHeader
        title={t('audit.title')}
        subtitle={t('audit.subtitle')}
        extra={
          <>
            <Button
              icon={<SafetyCertificateOutlined />}
              loading={verifying}
              data-testid="audit-verify"
              onClick={async () => {
                setVerifying(true);
                try {
                  setVerified(await auditApi.verify());
                } catch (e) {
                  message.error(errorText(e));
                } finally {
                  setVerifying(false);
                }
              }}
            >
              {t('audit.verify')}
            </Button>
            <ExportButton path={auditApi.exportPath} query={{ ...filters }} />
          </>
        }
      />
      <Card styles={{ body: { padding: mobile ? 12 : 20 } }}>
        <Row gutter={[12, 12]} style={{ marginBottom: 16 }}>
          <Col xs={24} sm={12} xl={4}>
            <Input allowClear placeholder={`${t('audit.actor')}（${t('audit.actorPlaceholder')}）`} value={draft.actor} onChange={(e) => setDraft({ ...draft, actor: e.target.value })} onPressEnter={apply} data-testid="audit-actor" />
          </Col>
          <Col xs={24} sm={12} xl={4}>
            <AutoComplete
              allowClear
              placeholder={t('audit.actionPlaceholder')}
              value={draft.action}
              onChange={(v: string) => setDraft({ ...draft, action: v })}
              options={KNOWN_ACTIONS.map((a) => ({ value: a, label: `${a}  ${actionLabel(a)}` }))}
              showSearch={{ filterOption: (input, option) => String(option?.value ?? '').includes(input) || String(option?.label ?? '').includes(input) }}
              style={{ width: '100%' }}
              data-testid="audit-action"
            />
          </Col>
          <Col xs={12} sm={8} xl={3}>
            <Select
              allowClear
              placeholder={t('audit.entityType')}
              value={draft.entityType}
              onChange={(v: string | undefined) => setDraft({ ...draft, entityType: v })}
              options={ENTITY_TYPES.map((e) => ({ value: e, label: t(`audit.entityTypes.${e}`) }))}
              style={{ width: '100%' }}
            />
          </Col>
          <Col xs={12} sm={8} xl={3}>
            <Input allowClear placeholder={t('audit.entityId')} value={draft.entityId} onChange={(e) => setDraft({ ...draft, entityId: e.target.value })} onPressEnter={apply} />
          </Col>
          <Col xs={12} sm={8} xl={2}>
            <Select
              allowClear
              placeholder={t('audit.result')}
              value={draft.result}
              onChange={(v: string | undefined) => setDraft({ ...draft, result: v })}
              options={(['ok', 'denied', 'failed'] as const).map((r) => ({ value: r, label: t(`audit.results.${r}`) }))}
              style={{ width: '100%' }}
            />
          </Col>
          <Col xs={24} sm={16} xl={5}>
            <DatePicker.RangePicker style={{ width: '100%' }} value={draft.range ?? null} onChange={(v) => setDraft({ ...draft, range: v })} inputReadOnly={mobile} />
          </Col>
          <Col xs={12} sm={8} xl={3}>
            <Space>
              <Button type="primary" icon={<SearchOutlined />} onClick={apply} data-testid="audit-search">
                {t('common.search')}
              </Button>
              <Button
                onClick={() => {
                  setDraft({});
                  setFilters({ page: 1, pageSize: filters.pageSize });
                }}
              >
                {t('common.reset')}
              </Button>
            </Space>
          </Col>
        </Row>
        <QueryState loading={false} error={error} retry={() => void refetch()}>
          <Table<AuditRow>
            rowKey={(r) => `${r.chainNo}-${r.seq}`}
            loading={isLoading || isFetching}
            dataSource={data?.items ?? []}
            size={mobile ? 'small' : 'middle'}
            scroll={{ x: 1200 }}
            data-testid="audit-table"
            expandable={{ expandedRowRender: (row) => <RowDetails row={row} /> }}
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
              { title: t('audit.at'), dataIndex: 'at', width: 170, render: (v: string) => <span className="qibu-mono">{formatDateTime(v)}</span> },
              {
                title: t('audit.actor'),
                key: 'actor',
                width: 200,
                render: (_, r) => (
                  <div>
                    <div>{r.actorName ?? '—'}</div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {rolesText(r.actorRole)}
                    </Typography.Text>
                  </div>
                ),
              },
              {
                title: t('audit.action'),
                dataIndex: 'action',
                width: 220,
                render: (a: string) => (
                  <div>
                    <div>{actionLabel(a)}</div>
                    <Typography.Text type="secondary" className="qibu-mono" style={{ fontSize: 12 }}>
                      {a}
                    </Typography.Text>
                  </div>
                ),
              },
              {
                title: t('audit.entityType'),
                key: 'entity',
                width: 260,
                render: (_, r) => (
                  <div>
                    <div>{(ENTITY_TYPES as string[]).includes(r.entityType) ? t(`audit.entityTypes.${r.entityType as EntityType}`) : r.entityType}</div>
                    {r.entityId && (
                      <Typography.Text type="secondary" className="qibu-mono" style={{ fontSize: 12 }} ellipsis copyable={{ text: r.entityId }}>
                        {r.entityId}
                      </Typography.Text>
                    )}
                  </div>
                ),
              },
              {
                title: t('audit.result'),
                dataIndex: 'result',
                width: 90,
                render: (v: string) => (
                  <Tag color={v === 'ok' ? 'green' : v === 'denied' ? 'orange' : 'red'}>
                    {v === 'ok' || v === 'denied' || v === 'failed' ? t(`audit.results.${v}`) : v}
                  </Tag>
                ),
              },
              { title: t('audit.ip'), dataIndex: 'ip', width: 130, render: (v: string | null) => <span className="qibu-mono">{v ?? '—'}</span> },
            ]}
          />
        </QueryState>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('audit.timeNote')}
        </Typography.Text>
      </Card>
      <Modal open={!!verified} title={t('audit.verifyTitle')} onCancel={() => setVerified(null)} footer={<Button onClick={() => setVerified(null)}>{t('common.close')}</Button>} width={640}>
        {verified && <VerifyResult result={verified} />}
      </Modal>
    </>
  );
}
