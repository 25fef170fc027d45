import { useState } from 'react';
import { App, Button, Card, Form, Input, InputNumber, Modal, Select, Space, Switch, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { indicatorsApi, indicatorsKey, useIndicatorDefinitions, type District, type DistrictKind, type Indicator } from '../../api/indicators.ts';
import { applyServerErrors, errorText, rules } from '../../components/forms.ts';
import { QueryState } from '../../components/QueryState.tsx';
import { useIsMobile } from '../../components/useIsMobile.ts';

type Editing<T> = { mode: 'create' } | { mode: 'edit'; record: T } | null;

/** 指标与地区: the zone's indicators and the districts it is compared with (deactivate instead of deleting). */
export default function SettingsTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const mobile = useIsMobile();
  const qc = useQueryClient();
  const defs = useIndicatorDefinitions();
  const [indicator, setIndicator] = useState<Editing<Indicator>>(null);
  const [district, setDistrict] = useState<Editing<District>>(null);
  const [indicatorForm] = Form.useForm();
  const [districtForm] = Form.useForm();
  const [saving, setSaving] = useState(false);

  const refresh = () => qc.invalidateQueries({ queryKey: indicatorsKey });
  const run = async (form: ReturnType<typeof Form.useForm>[0], action: () => Promise<unknown>, close: () => void) => {
    setSaving(true);
    try {
      await action();
      message.success(t('common.saved'));
      close();
      await refresh();
    } catch (e) {
      applyServerErrors(form, e, (text) => message.error(text));
    } finally {
      setSaving(false);
    }
  };
  const toggle = async (action: () => Promise<unknown>) => {
    try {
      await action();
      await refresh();
    } catch (e) {
      message.error(errorText(e));
    }
  };

  const openIndicator = (e: Editing<Indicator>) => {
    setIndicator(e);
    indicatorForm.resetFields();
    if (e?.mode === 'edit') indicatorForm.setFieldsValue(e.record);
    else indicatorForm.setFieldsValue({ publishesValue: true, sortOrder: (defs.data?.indicators.length ?? 0) * 10 });
  };
  const openDistrict = (e: Editing<District>) => {
    setDistrict(e);
    districtForm.resetFields();
    if (e?.mode === 'edit') districtForm.setFieldsValue(e.record);
    else districtForm.setFieldsValue({ kind: 'district', sortOrder: (defs.data?.districts.length ?? 0) + 1 });
  };
  const kinds: DistrictKind[] = ['self', 'district', 'city'];

  return (
    <QueryState loading={defs.isLoading} error={defs.error} retry={() => void defs.refetch()}>
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        <Card
          size="small"
          title={t('indicators.settings.indicators')}
          extra={
            <Button size="small" icon={<PlusOutlined />} onClick={() => openIndicator({ mode: 'create' })} data-testid="indicator-add">
              {t('indicators.settings.addIndicator')}
            </Button>
          }
        >
          <Table<Indicator>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={defs.data?.indicators ?? []}
            scroll={{ x: mobile ? 520 : undefined }}
            columns={[
              { title: t('indicators.settings.name'), dataIndex: 'name', render: (name: string, i) => <a onClick={() => openIndicator({ mode: 'edit', record: i })}>{name}</a> },
              { title: t('indicators.settings.code'), dataIndex: 'code', responsive: ['md'] },
              { title: t('indicators.settings.unit'), dataIndex: 'unit', width: 80 },
              {
                title: t('indicators.settings.publishesValue'),
                dataIndex: 'publishesValue',
                width: 100,
                render: (v: boolean, i) => <Switch size="small" checked={v} onChange={(on) => void toggle(() => indicatorsApi.updateIndicator(i.id, { version: i.version, publishesValue: on }))} />,
              },
              { title: t('indicators.settings.sortOrder'), dataIndex: 'sortOrder', width: 70, responsive: ['md'] },
              {
                title: t('indicators.settings.active'),
                dataIndex: 'active',
                width: 80,
                render: (v: boolean, i) => <Switch size="small" checked={v} onChange={(on) => void toggle(() => indicatorsApi.updateIndicator(i.id, { version: i.version, active: on }))} />,
              },
            ]}
          />
        </Card>
        <Card
          size="small"
          title={t('indicators.settings.districts')}
          extra={
            <Button size="small" icon={<PlusOutlined />} onClick={() => openDistrict({ mode: 'create' })} data-testid="district-add">
              {t('indicators.settings.addDistrict')}
            </Button>
          }
        >
          <Table<District>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={defs.data?.districts ?? []}
            columns={[
              { title: t('indicators.settings.name'), dataIndex: 'name', render: (name: string, d) => <a onClick={() => openDistrict({ mode: 'edit', record: d })}>{name}</a> },
              { title: t('indicators.settings.kind'), dataIndex: 'kind', width: 90, render: (k: DistrictKind) => <Tag color={k === 'self' ? 'red' : k === 'city' ? 'default' : 'blue'}>{t(`indicators.settings.kinds.${k}`)}</Tag> },
              { title: t('indicators.settings.sortOrder'), dataIndex: 'sortOrder', width: 70, responsive: ['md'] },
              {
                title: t('indicators.settings.active'),
                dataIndex: 'active',
                width: 80,
                render: (v: boolean, d) => <Switch size="small" checked={v} onChange={(on) => void toggle(() => indicatorsApi.updateDistrict(d.id, { version: d.version, active: on }))} />,
              },
            ]}
          />
        </Card>
      </Space>

      <Modal
        open={indicator !== null}
        title={indicator?.mode === 'edit' ? t('indicators.settings.editIndicator') : t('indicators.settings.addIndicator')}
        okText={t('common.save')}
        confirmLoading={saving}
        onCancel={() => setIndicator(null)}
        onOk={() =>
          void indicatorForm.validateFields().then((v: { code: string; name: string; nameEn?: string; unit: string; publishesValue: boolean; sortOrder?: number }) =>
            run(
              indicatorForm,
              () =>
                indicator?.mode === 'edit'
                  ? indicatorsApi.updateIndicator(indicator.record.id, { version: indicator.record.version, name: v.name, nameEn: v.nameEn || null, unit: v.unit, publishesValue: v.publishesValue, sortOrder: v.sortOrder ?? 0 })
                  : indicatorsApi.createIndicator({ code: v.code, name: v.name, nameEn: v.nameEn || null, unit: v.unit, publishesValue: v.publishesValue, sortOrder: v.sortOrder ?? 0 }),
              () => setIndicator(null),
            ),
          )
        }
      >
        <Form form={indicatorForm} layout="vertical">
          <Form.Item name="code" label={t('indicators.settings.code')} extra={t('indicators.settings.codeHint')} rules={[rules.required(), { pattern: /^[A-Za-z0-9_.-]+$/ }]}>
            <Input disabled={indicator?.mode === 'edit'} maxLength={50} />
          </Form.Item>
          <Form.Item name="name" label={t('indicators.settings.name')} rules={[rules.required(), rules.max(50)]}>
            <Input maxLength={50} />
          </Form.Item>
          <Form.Item name="nameEn" label={t('indicators.settings.nameEn')}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="unit" label={t('indicators.settings.unit')} rules={[rules.required(), rules.max(20)]}>
            <Input maxLength={20} placeholder="亿元" />
          </Form.Item>
          <Form.Item name="publishesValue" label={t('indicators.settings.publishesValue')} extra={t('indicators.settings.publishesValueHint')} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item name="sortOrder" label={t('indicators.settings.sortOrder')}>
            <InputNumber min={0} max={1000000} precision={0} />
          </Form.Item>
        </Form>
      </Modal>

      <Modal
        open={district !== null}
        title={district?.mode === 'edit' ? t('indicators.settings.editDistrict') : t('indicators.settings.addDistrict')}
        okText={t('common.save')}
        confirmLoading={saving}
        onCancel={() => setDistrict(null)}
        onOk={() =>
          void districtForm.validateFields().then((v: { name: string; kind: DistrictKind; sortOrder?: number }) =>
            run(
              districtForm,
              () =>
                district?.mode === 'edit'
                  ? indicatorsApi.updateDistrict(district.record.id, { version: district.record.version, name: v.name, kind: v.kind, sortOrder: v.sortOrder ?? 0 })
                  : indicatorsApi.createDistrict({ name: v.name, kind: v.kind, sortOrder: v.sortOrder ?? 0 }),
              () => setDistrict(null),
            ),
          )
        }
      >
        <Form form={districtForm} layout="vertical">
          <Form.Item name="name" label={t('indicators.settings.name')} rules={[rules.required(), rules.max(30)]}>
            <Input maxLength={30} />
          </Form.Item>
          <Form.Item name="kind" label={t('indicators.settings.kind')} rules={[rules.requiredSelect()]}>
            <Select options={kinds.map((k) => ({ value: k, label: t(`indicators.settings.kinds.${k}`) }))} />
          </Form.Item>
          <Form.Item name="sortOrder" label={t('indicators.settings.sortOrder')}>
            <InputNumber min={0} max={1000000} precision={0} />
          </Form.Item>
        </Form>
      </Modal>
    </QueryState>
  );
}
