import { useState } from 'react';
import { Alert, App, Button, Card, Col, Flex, Result, Row, Space, Statistic, Table, Tag, Typography, Upload } from 'antd';
import { DownloadOutlined, FileExcelOutlined, InboxOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { download } from '../../api/client.ts';
import { downloadImportErrors, indicatorsApi, indicatorsKey, type ImportErrorItem, type ImportReport } from '../../api/indicators.ts';
import { errorText } from '../../components/forms.ts';
import { useIsMobile } from '../../components/useIsMobile.ts';

const MAX_BYTES = 2 * 1024 * 1024;

/**
 * 导入: 1 template → 2 upload, checked as a dry run (nothing written) → 3 import all (when every cell is good) or
 * only the good figures (after a confirmation). The file stays in the browser between the steps and is sent again.
 */
export default function ImportTab() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const mobile = useIsMobile();
  const qc = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [busy, setBusy] = useState<'check' | 'apply' | 'template' | 'errors' | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const applied = report?.applied ?? null;

  const check = async (f: File) => {
    setFile(f);
    setReport(null);
    setFailure(null);
    setBusy('check');
    try {
      setReport(await indicatorsApi.importFile(f, { dryRun: true }));
    } catch (e) {
      setFailure(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  const apply = async (applyValid: boolean) => {
    if (!file) return;
    setBusy('apply');
    try {
      const r = await indicatorsApi.importFile(file, { applyValid });
      setReport(r);
      if (r.applied) {
        message.success(t('indicators.import.done', r.applied));
        await qc.invalidateQueries({ queryKey: indicatorsKey });
      }
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  const again = () => {
    setFile(null);
    setReport(null);
    setFailure(null);
  };

  const withBusy = async (kind: 'template' | 'errors', run: () => Promise<string>) => {
    setBusy(kind);
    try {
      message.success(t('common.exported', { name: await run() }));
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Alert type="info" showIcon title={t('indicators.import.nothingWritten')} />
      <Card size="small" title={`1. ${t('indicators.import.step1')}`}>
        <Flex gap={12} align={mobile ? 'flex-start' : 'center'} vertical={mobile}>
          <Button icon={<FileExcelOutlined />} loading={busy === 'template'} onClick={() => void withBusy('template', () => download(indicatorsApi.templatePath, undefined, 'template.xlsx'))} data-testid="indicator-template">
            {t('indicators.import.template')}
          </Button>
          <Typography.Text type="secondary">{t('indicators.import.step1Hint')}</Typography.Text>
        </Flex>
      </Card>

      <Card size="small" title={`2. ${t('indicators.import.step2')}`}>
        {!applied && (
          <Upload.Dragger
            accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            multiple={false}
            showUploadList={false}
            disabled={busy !== null}
            beforeUpload={(f) => {
              if (!/\.xlsx$/i.test(f.name)) {
                message.error(t('indicators.import.onlyXlsx'));
                return Upload.LIST_IGNORE;
              }
              if (f.size > MAX_BYTES) {
                message.error(t('indicators.import.tooLarge'));
                return Upload.LIST_IGNORE;
              }
              void check(f);
              return false;
            }}
            data-testid="indicator-dragger"
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{busy === 'check' && file ? t('indicators.import.checking', { name: file.name }) : t('indicators.import.dropHere')}</p>
            <p className="ant-upload-hint">{t('indicators.import.dropHint')}</p>
          </Upload.Dragger>
        )}
        {failure && <Alert type="error" showIcon title={failure} style={{ marginTop: 12 }} data-testid="indicator-import-failed" />}
        {report && file && <ReportView report={report} file={file} busy={busy === 'errors'} onErrors={() => void withBusy('errors', () => downloadImportErrors(file))} />}
      </Card>

      {report && (
        <Card size="small" title={`3. ${t('indicators.import.step3')}`}>
          {applied ? (
            <Result
              status="success"
              title={t('indicators.import.done', applied)}
              subTitle={applied.recomputed ? t('indicators.import.recomputed', { count: applied.recomputed }) : undefined}
              extra={<Button onClick={again}>{t('indicators.import.again')}</Button>}
              data-testid="indicator-import-done"
            />
          ) : report.valid === 0 ? (
            <Alert type="warning" showIcon title={t('indicators.import.nothingValid')} />
          ) : report.errorCount === 0 ? (
            <Button type="primary" loading={busy === 'apply'} onClick={() => void apply(false)} data-testid="indicator-import-apply">
              {t('indicators.import.apply', { count: report.valid })}
            </Button>
          ) : (
            <Button
              danger
              loading={busy === 'apply'}
              data-testid="indicator-import-apply-valid"
              onClick={() =>
                modal.confirm({
                  title: t('indicators.import.applyValid', { count: report.valid }),
                  content: t('indicators.import.applyValidConfirm', { count: report.valid, invalid: report.invalid }),
                  onOk: () => apply(true),
                })
              }
            >
              {t('indicators.import.applyValid', { count: report.valid })}
            </Button>
          )}
        </Card>
      )}
    </Space>
  );
}

function ReportView({ report, file, busy, onErrors }: { report: ImportReport; file: File; busy: boolean; onErrors: () => void }) {
  const { t } = useTranslation();
  const mobile = useIsMobile();
  return (
    <div style={{ marginTop: 12 }} data-testid="indicator-import-report">
      <Typography.Text strong>{file.name}</Typography.Text>
      <Flex gap={6} wrap="wrap" style={{ margin: '8px 0' }}>
        {report.sheets.map((s) => (
          <Tag key={s.name} color={s.layout === 'skipped' ? undefined : 'blue'}>
            {s.name} · {t(`indicators.import.layout.${s.layout}`)}
            {s.layout !== 'skipped' ? ` · ${t('indicators.import.sheetFigures', { count: s.figures })}` : ''}
          </Tag>
        ))}
      </Flex>
      <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
        <Col xs={8}>
          <Statistic title={t('indicators.import.figures')} value={report.figures} />
        </Col>
        <Col xs={8}>
          <Statistic title={t('indicators.import.valid')} value={report.valid} styles={{ content: { color: '#389e0d' } }} />
        </Col>
        <Col xs={8}>
          <Statistic title={t('indicators.import.invalid')} value={report.invalid} styles={{ content: { color: report.invalid ? '#cf1322' : undefined } }} />
        </Col>
      </Row>
      {report.errorCount === 0 ? (
        <Alert type="success" showIcon title={t('indicators.import.allValid', { count: report.valid })} />
      ) : (
        <>
          <Flex justify="space-between" align="center" wrap="wrap" gap={8} style={{ marginBottom: 8 }}>
            <Typography.Text type="danger" strong>
              {t('indicators.import.errorsTitle', { count: report.errorCount })}
            </Typography.Text>
            <Button icon={<DownloadOutlined />} loading={busy} onClick={onErrors} data-testid="indicator-import-errors-download">
              {t('indicators.import.errorsDownload')}
            </Button>
          </Flex>
          <Table<ImportErrorItem>
            rowKey={(e) => `${e.sheet}-${e.row}-${e.column}-${e.message}`}
            size="small"
            dataSource={report.errors}
            pagination={report.errors.length > 20 ? { pageSize: 20, size: 'small' } : false}
            scroll={{ x: 720 }}
            data-testid="indicator-import-errors"
            columns={[
              { title: t('indicators.import.sheet'), dataIndex: 'sheet', width: mobile ? 90 : 120 },
              { title: t('indicators.import.row'), dataIndex: 'row', width: 56, render: (r: number) => (r > 0 ? r : '') },
              { title: t('indicators.import.column'), dataIndex: 'column', width: 56 },
              { title: t('indicators.import.field'), dataIndex: 'header', width: 140 },
              { title: t('indicators.import.value'), dataIndex: 'value', width: 120, render: (v: string) => <span style={{ wordBreak: 'break-all' }}>{v}</span> },
              { title: t('indicators.import.problem'), dataIndex: 'message', render: (v: string) => <Typography.Text type="danger">{v}</Typography.Text> },
            ]}
          />
          {report.errorCount > report.errors.length && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('indicators.import.errorsTruncated', { shown: report.errors.length, count: report.errorCount })}
            </Typography.Text>
          )}
        </>
      )}
    </div>
  );
}
