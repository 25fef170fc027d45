import { useState, type ReactNode } from 'react';
import { Alert, App, Button, Card, Col, Flex, Progress, Result, Row, Space, Statistic, Steps, Table, Typography, Upload } from 'antd';
import { CheckCircleOutlined, CloudUploadOutlined, DownloadOutlined, FileExcelOutlined, InboxOutlined, ReloadOutlined } from '@ant-design/icons';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { download } from '../../api/client.ts';
import { projectsApi, projectsKey, uploadFile, useImportJob, type ImportApplied, type ImportError, type ImportJob } from '../../api/projects.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { errorText } from '../../components/forms.ts';
import { useCurrentUser } from '../../components/session.tsx';
import { useIsMobile } from '../../components/useIsMobile.ts';
import { LedgerNav, canCreateProjects } from './ledger.tsx';

const MAX_BYTES = 10 * 1024 * 1024;

function StepCard({ n, title, active, done, children, testId }: { n: number; title: string; active: boolean; done: boolean; children: ReactNode; testId: string }) {
  return (
    <Card
      size="small"
      data-testid={testId}
      title={
        <Flex align="center" gap={10}>
          <span
            style={{
              width: 24,
              height: 24,
              borderRadius: 12,
              display: 'inline-flex',
              alignItems: 'center',
              justifyContent: 'center',
              fontSize: 13,
              color: '#fff',
              background: done ? '#52c41a' : active ? '#1f4e9a' : '#bfbfbf',
            }}
          >
            {done ? <CheckCircleOutlined /> : n}
          </span>
          {title}
        </Flex>
      }
      style={{ opacity: active || done ? 1 : 0.65, borderColor: active ? '#adc6ff' : undefined }}
      styles={{ body: { padding: 16 } }}
    >
      {children}
    </Card>
  );
}

function Validation({ job, importId }: { job: ImportJob; importId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const mobile = useIsMobile();
  const [busy, setBusy] = useState(false);
  if (job.status === 'validating') {
    const pct = job.totalRows ? Math.floor((job.processedRows / job.totalRows) * 100) : 0;
    return (
      <div data-testid="import-progress">
        <Typography.Text>{t('projects.import.validating', { done: job.processedRows, total: job.totalRows || '…' })}</Typography.Text>
        <Progress percent={pct} status="active" />
      </div>
    );
  }
  const s = job.summary ?? { valid: 0, invalid: 0, creates: 0, updates: 0 };
  const cells = s.errorCount ?? job.errors.length;
  const rowErrors = job.errors.filter((e) => e.row > 0 || job.status !== 'failed');
  return (
    <div data-testid="import-report">
      {job.status === 'failed' && (
        <Alert
          type="error"
          showIcon
          title={t('projects.import.failed')}
          description={job.errors.filter((e) => e.row === 0).map((e) => e.message).join('；') || undefined}
          style={{ marginBottom: 12 }}
          data-testid="import-failed"
        />
      )}
      <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
        <Col xs={12} md={6}>
          <Statistic title={t('projects.import.totalRows')} value={job.totalRows} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title={t('projects.import.valid')} value={s.valid} styles={{ content: { color: '#389e0d' } }} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title={t('projects.import.invalid')} value={s.invalid} styles={{ content: { color: s.invalid ? '#cf1322' : undefined } }} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title={t('projects.import.createsUpdates')} value={`${s.creates} / ${s.updates}`} />
        </Col>
      </Row>
      {rowErrors.length > 0 && (
        <>
          <Flex justify="space-between" align="center" wrap="wrap" gap={8} style={{ marginBottom: 8 }}>
            <Typography.Text type="danger" strong>
              {t('projects.import.errorsTitle', { count: s.invalid, cells })}
            </Typography.Text>
            <Button
              icon={<DownloadOutlined />}
              loading={busy}
              data-testid="import-errors-download"
              onClick={async () => {
                setBusy(true);
                try {
                  const name = await download(projectsApi.errorsPath(importId), undefined, 'errors.xlsx');
                  message.success(t('common.exported', { name }));
                } catch (e) {
                  message.error(errorText(e));
                } finally {
                  setBusy(false);
                }
              }}
            >
              {t('projects.import.errorsDownload')}
            </Button>
          </Flex>
          <Table<ImportError>
            rowKey={(e) => `${e.row}-${e.column}-${e.message}`}
            size="small"
            dataSource={rowErrors}
            pagination={rowErrors.length > 20 ? { pageSize: 20, size: 'small' } : false}
            scroll={{ x: 640 }}
            data-testid="import-errors"
            columns={[
              { title: t('projects.import.row'), dataIndex: 'row', width: 70 },
              { title: t('projects.import.column'), dataIndex: 'column', width: mobile ? 110 : 160 },
              { title: t('projects.import.value'), dataIndex: 'value', width: 200, render: (v: string | null) => <span style={{ wordBreak: 'break-all' }}>{v ?? ''}</span> },
              { title: t('projects.import.problem'), dataIndex: 'message', render: (v: string) => <Typography.Text type="danger">{v}</Typography.Text> },
            ]}
          />
          {cells > job.errors.length && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('projects.import.errorsTruncated', { shown: job.errors.length, cells })}
            </Typography.Text>
          )}
        </>
      )}
      {job.errors.length === 0 && job.status === 'ready' && <Alert type="success" showIcon title={t('projects.import.allValid')} />}
    </div>
  );
}

/** 导入台账: 1 下载模板 → 2 上传 → 3 校验 (progress, bad cells, error report) → 4 确认导入. Nothing is written before 4. */
export default function ImportPage() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const me = useCurrentUser();
  const mobile = useIsMobile();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [sp, setSp] = useSearchParams();
  const importId = sp.get('id');
  const [upload, setUpload] = useState<{ name: string; percent: number; error?: string } | null>(null);
  const [templateBusy, setTemplateBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [result, setResult] = useState<ImportApplied | null>(null);
  const { data: job, error: jobError } = useImportJob(importId);
  const uploading = !!upload && upload.percent < 100 && !upload.error && !importId;

  const step = result || job?.status === 'applied' ? 4 : job?.status === 'ready' ? 3 : importId ? 2 : 1;

  const start = (file: File) => {
    setResult(null);
    setSp({}, { replace: true });
    setUpload({ name: file.name, percent: 0 });
    uploadFile<{ id: string; status: string }>(projectsApi.importPath, file, (percent) => setUpload({ name: file.name, percent }))
      .then((r) => {
        setUpload({ name: file.name, percent: 100 });
        setSp({ id: r.id }, { replace: true });
      })
      .catch((e: unknown) => setUpload({ name: file.name, percent: 0, error: errorText(e) }));
  };

  const confirm = async () => {
    if (!importId) return;
    setConfirming(true);
    try {
      const r = await projectsApi.confirmImport(importId);
      setResult(r);
      message.success(t('projects.import.done', { ...r }));
      void qc.invalidateQueries({ queryKey: projectsKey });
      void qc.invalidateQueries({ queryKey: ['projectImport', importId] });
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setConfirming(false);
    }
  };

  const again = () => {
    setResult(null);
    setUpload(null);
    setSp({}, { replace: true });
  };

  const dragger = (
    <Upload.Dragger
      accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
      multiple={false}
      showUploadList={false}
      disabled={uploading}
      beforeUpload={(file) => {
        if (!/\.xlsx$/i.test(file.name)) {
          message.error(t('projects.import.onlyXlsx'));
          return Upload.LIST_IGNORE;
        }
        if (file.size > MAX_BYTES) {
          message.error(t('projects.import.tooLarge'));
          return Upload.LIST_IGNORE;
        }
        start(file);
        return false;
      }}
      data-testid="import-dragger"
    >
      <p className="ant-upload-drag-icon">
        <InboxOutlined />
      </p>
      <p className="ant-upload-text">{t('projects.import.dropHere')}</p>
      <p className="ant-upload-hint">{t('projects.import.dropHint')}</p>
    </Upload.Dragger>
  );

  return (
    <>
      <LedgerNav current="import" canImport={canCreateProjects(me)} />
      <PageHeader title={t('projects.import.title')} subtitle={t('projects.import.subtitle')} />
      <Alert type="info" showIcon title={t('projects.import.nothingWritten')} style={{ marginBottom: 16 }} data-testid="import-nothing-written" />
      {!mobile && (
        <Card size="small" style={{ marginBottom: 16 }}>
          <Steps
            size="small"
            current={step - 1}
            status={job?.status === 'failed' || upload?.error ? 'error' : step === 4 ? 'finish' : 'process'}
            items={[
              { title: t('projects.import.step1') },
              { title: t('projects.import.step2') },
              { title: t('projects.import.step3') },
              { title: t('projects.import.step4') },
            ]}
          />
        </Card>
      )}
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        <StepCard n={1} title={t('projects.import.step1')} active={step === 1} done={step > 1} testId="import-step-1">
          <Flex gap={16} align={mobile ? 'flex-start' : 'center'} vertical={mobile}>
            <Button
              icon={<FileExcelOutlined />}
              loading={templateBusy}
              data-testid="import-template"
              onClick={async () => {
                setTemplateBusy(true);
                try {
                  const name = await download(projectsApi.templatePath, undefined, 'template.xlsx');
                  message.success(t('common.exported', { name }));
                } catch (e) {
                  message.error(errorText(e));
                } finally {
                  setTemplateBusy(false);
                }
              }}
            >
              {t('projects.import.template')}
            </Button>
            <Typography.Text type="secondary">{t('projects.import.templateHint')}</Typography.Text>
          </Flex>
        </StepCard>

        <StepCard n={2} title={t('projects.import.step2')} active={step <= 2} done={!!importId} testId="import-step-2">
          {importId && !uploading ? (
            <Flex gap={12} align="center" wrap="wrap">
              <FileExcelOutlined style={{ fontSize: 20, color: '#237804' }} />
              <Typography.Text>{upload?.name ?? job?.fileName ?? t('projects.import.uploaded')}</Typography.Text>
              <Button icon={<ReloadOutlined />} onClick={again} data-testid="import-again">
                {t('projects.import.reupload')}
              </Button>
            </Flex>
          ) : (
            <>
              {dragger}
              {upload && !upload.error && (
                <div style={{ marginTop: 12 }} data-testid="upload-progress">
                  <Typography.Text>{upload.name}</Typography.Text>
                  <Progress percent={upload.percent} status={upload.percent < 100 ? 'active' : 'success'} />
                </div>
              )}
              {upload?.error && <Alert type="error" showIcon title={upload.error} style={{ marginTop: 12 }} data-testid="upload-error" />}
            </>
          )}
        </StepCard>

        <StepCard n={3} title={t('projects.import.step3')} active={step === 2 || step === 3} done={step >= 3 && job?.status !== 'failed'} testId="import-step-3">
          {!importId ? (
            <Typography.Text type="secondary">{t('projects.import.waitUpload')}</Typography.Text>
          ) : jobError ? (
            <Alert type="error" showIcon title={errorText(jobError)} />
          ) : !job ? (
            <Progress percent={0} status="active" />
          ) : (
            <Validation job={job} importId={importId} />
          )}
        </StepCard>

        <StepCard n={4} title={t('projects.import.step4')} active={step === 3} done={step === 4} testId="import-step-4">
          {result || job?.status === 'applied' ? (
            <Result
              status="success"
              style={{ padding: mobile ? 8 : 24 }}
              title={result ? t('projects.import.done', { ...result }) : t('projects.import.alreadyApplied')}
              extra={[
                <Button type="primary" key="list" onClick={() => navigate('/projects')} data-testid="import-to-list">
                  {t('projects.import.toList')}
                </Button>,
                <Button key="again" icon={<CloudUploadOutlined />} onClick={again}>
                  {t('projects.import.another')}
                </Button>,
              ]}
              data-testid="import-result"
            />
          ) : job?.status === 'ready' ? (
            <Flex vertical gap={12}>
              {(job.summary?.invalid ?? 0) > 0 && <Alert type="warning" showIcon title={t('projects.import.invalidSkipped', { count: job.summary?.invalid ?? 0 })} />}
              <div>
                <Button
                  type="primary"
                  size="large"
                  icon={<CheckCircleOutlined />}
                  loading={confirming}
                  disabled={!job.summary?.valid}
                  data-testid="import-confirm"
                  onClick={() =>
                    (job.summary?.invalid ?? 0) > 0
                      ? modal.confirm({
                          title: t('projects.import.confirmTitle'),
                          content: t('projects.import.confirmPartial', { valid: job.summary?.valid ?? 0, invalid: job.summary?.invalid ?? 0 }),
                          onOk: confirm,
                        })
                      : void confirm()
                  }
                >
                  {t('projects.import.confirm', { count: job.summary?.valid ?? 0 })}
                </Button>
              </div>
              <Typography.Text type="secondary">
                {t('projects.import.confirmHint', { creates: job.summary?.creates ?? 0, updates: job.summary?.updates ?? 0 })}
                {(job.summary?.unchanged ?? 0) > 0 && t('projects.import.unchanged', { count: job.summary?.unchanged ?? 0 })}
              </Typography.Text>
            </Flex>
          ) : (
            <Typography.Text type="secondary">{t('projects.import.waitValidation')}</Typography.Text>
          )}
        </StepCard>
      </Space>
      <Typography.Paragraph type="secondary" style={{ marginTop: 16, fontSize: 12 }}>
        <Link to="/projects">{t('projects.detail.backToList')}</Link>
      </Typography.Paragraph>
    </>
  );
}
