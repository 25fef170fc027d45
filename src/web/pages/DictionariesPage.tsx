import { useState } from 'react';
import { App, Button, Card, Col, Form, Input, InputNumber, Modal, Row, Segmented, Switch, Table, Tag, Typography } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { dictionariesApi, dictionaryKey, useDictionary, type DictionaryEntry, type DictionaryName } from '../api/projects.ts';
import { PageHeader } from '../components/PageHeader.tsx';
import { QueryState } from '../components/QueryState.tsx';
import { dash } from '../components/format.ts';
import { applyServerErrors, errorText, rules } from '../components/forms.ts';
import { useIsMobile } from '../components/useIsMobile.ts';

interface Values {
  code: string;
  label: string;
  labelEn?: string;
  sortOrder?: number;
}

const CODE = /^[A-Za-z0-9_-]{1,50}$/;

function EntryModal({ name, editing, onClose, onSaved }: { name: DictionaryName; editing: DictionaryEntry | 'new' | null; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  if (!editing) return null;
  const e = editing === 'new' ? null : editing;
  return (
    <Modal open title={e ? t('dictionaries.edit') : t('dictionaries.add')} onCancel={onClose} onOk={() => form.submit()} okText={t('common.save')} confirmLoading={busy} destroyOnHidden>
      <Form<Values>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ code: e?.code ?? '', label: e?.label ?? '', labelEn: e?.labelEn ?? '', sortOrder: e?.sortOrder ?? 0 }}
        onFinish={async (v) => {
          setBusy(true);
          try {
            const labelEn = v.labelEn?.trim() || null;
            if (e) await dictionariesApi.update(name, e.id, { version: e.version, label: v.label.trim(), labelEn, sortOrder: v.sortOrder ?? 0 });
            else await dictionariesApi.create(name, { code: v.code.trim(), label: v.label.trim(), ...(labelEn ? { labelEn } : {}), sortOrder: v.sortOrder ?? 0 });
            message.success(e ? t('common.saved') : t('common.created'));
            onSaved();
          } catch (err) {
            applyServerErrors(form, err, (m) => message.error(m));
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item name="code" label={t('dictionaries.code')} rules={[rules.required(), { pattern: CODE, message: t('dictionaries.codeRule') }]} extra={e ? t('dictionaries.codeFixed') : t('dictionaries.codeHint')}>
          <Input className="qibu-mono" disabled={!!e} />
        </Form.Item>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="label" label={t('dictionaries.label')} rules={[rules.required(), rules.max(50)]}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="labelEn" label={t('dictionaries.labelEn')} rules={[rules.max(100)]}>
              <Input />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="sortOrder" label={t('dictionaries.sortOrder')}>
          <InputNumber min={0} max={100000} precision={0} style={{ width: 160 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 字典: the zone's value lists for projects (行业, 项目类别); the system admin keeps them. Codes stay; labels change. */
export default function DictionariesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const mobile = useIsMobile();
  const qc = useQueryClient();
  const [name, setName] = useState<DictionaryName>('industry');
  const [editing, setEditing] = useState<DictionaryEntry | 'new' | null>(null);
  const { data, isLoading, error, refetch } = useDictionary(name);
  const refresh = () => void qc.invalidateQueries({ queryKey: dictionaryKey(name) });

  return (
    <>
      <PageHeader
        title={t('dictionaries.title')}
        subtitle={t('dictionaries.subtitle')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="dictionary-add">
            {t('dictionaries.add')}
          </Button>
        }
      />
      <Card styles={{ body: { padding: mobile ? 12 : 20 } }}>
        <Segmented<DictionaryName>
          value={name}
          onChange={setName}
          options={[
            { value: 'industry', label: t('dictionaries.names.industry') },
            { value: 'project_kind', label: t('dictionaries.names.project_kind') },
          ]}
          style={{ marginBottom: 16 }}
          data-testid="dictionary-switch"
        />
        <QueryState loading={false} error={error} retry={() => void refetch()}>
          <Table<DictionaryEntry>
            rowKey="id"
            loading={isLoading}
            size={mobile ? 'small' : 'middle'}
            dataSource={[...(data ?? [])].sort((a, b) => a.sortOrder - b.sortOrder || a.code.localeCompare(b.code))}
            pagination={false}
            scroll={{ x: 640 }}
            rowClassName={(d) => (d.active ? '' : 'qibu-row-muted')}
            columns={[
              { title: t('dictionaries.code'), dataIndex: 'code', width: 170, render: (v: string) => <Typography.Text className="qibu-mono">{v}</Typography.Text> },
              { title: t('dictionaries.label'), dataIndex: 'label', width: 200 },
              { title: t('dictionaries.labelEn'), dataIndex: 'labelEn', render: (v: string | null) => dash(v) },
              { title: t('dictionaries.sortOrder'), dataIndex: 'sortOrder', width: 90, align: 'right' },
              {
                title: t('common.status'),
                dataIndex: 'active',
                width: 130,
                render: (_, d) => (
                  <Switch
                    size="small"
                    checked={d.active}
                    checkedChildren={t('common.active')}
                    unCheckedChildren={t('common.inactive')}
                    onChange={async (active) => {
                      try {
                        await dictionariesApi.update(name, d.id, { version: d.version, active });
                        message.success(t('common.saved'));
                      } catch (e) {
                        message.error(errorText(e));
                      } finally {
                        refresh();
                      }
                    }}
                  />
                ),
              },
              {
                title: t('common.actions'),
                key: 'a',
                width: 90,
                render: (_, d) => (
                  <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(d)}>
                    {t('common.edit')}
                  </Button>
                ),
              },
            ]}
          />
          <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0, fontSize: 12 }}>
            <Tag bordered={false}>{t('dictionaries.note')}</Tag>
          </Typography.Paragraph>
        </QueryState>
      </Card>
      {editing && (
        <EntryModal
          key={editing === 'new' ? 'new' : editing.id}
          name={name}
          editing={editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            refresh();
          }}
        />
      )}
    </>
  );
}
