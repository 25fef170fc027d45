import { useEffect, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { App, Breadcrumb, Button, Card, Col, DatePicker, Empty, Flex, Form, Input, InputNumber, Modal, Row, Select, Switch, Tag, Tree, Typography, type TreeDataNode } from 'antd';
import { DeleteOutlined, DragOutlined, PlusOutlined, SaveOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { UNIT_CHILD_KINDS, UNIT_KINDS, UNIT_KIND_LABELS, type UnitKind } from '../../shared/org.ts';
import type { Unit } from '../api/types.ts';
import { buildUnitForest, subtreeIds, unitsApi, unitsKey, useUnits, type UnitNode } from '../api/units.ts';
import { ExportButton } from '../components/ExportButton.tsx';
import { KindTag } from '../components/Labels.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { QueryState } from '../components/QueryState.tsx';
import { UnitTreeSelect } from '../components/UnitTreeSelect.tsx';
import { applyServerErrors, changed, clean, compact, fromDay, toDay } from '../components/forms.ts';
import { useIsMobile } from '../components/useIsMobile.ts';
import { pick, useLang, type Lang } from '../i18n/index.ts';
import type { Dayjs } from 'dayjs';

interface UnitFormValues {
  kind: UnitKind;
  name: string;
  shortName?: string;
  description?: string;
  establishedOn?: Dayjs | null;
  sortOrder?: number;
  active?: boolean;
}

const kindOptions = (kinds: readonly UnitKind[], lang: Lang, disabled?: (k: UnitKind) => boolean) =>
  kinds.map((k) => ({ value: k, label: pick(UNIT_KIND_LABELS[k], lang), disabled: disabled?.(k) ?? false }));

/** The fields shared by the details form and the 新增下级单位 form. */
function UnitFields({ kinds, kindDisabled, readOnly, showActive }: { kinds: readonly UnitKind[]; kindDisabled?: (k: UnitKind) => boolean; readOnly: boolean; showActive: boolean }) {
  const { t } = useTranslation();
  const lang = useLang();
  return (
    <Row gutter={16}>
      <Col xs={24} md={16}>
        <Form.Item name="name" label={t('units.name')} rules={[{ required: true, whitespace: true }, { max: 100 }]}>
          <Input readOnly={readOnly} />
        </Form.Item>
      </Col>
      <Col xs={24} md={8}>
        <Form.Item name="kind" label={t('units.kind')} rules={[{ required: true }]}>
          <Select options={kindOptions(kinds, lang, kindDisabled)} disabled={readOnly} data-testid="unit-kind" />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item name="shortName" label={t('units.shortName')} rules={[{ max: 50 }]}>
          <Input readOnly={readOnly} />
        </Form.Item>
      </Col>
      <Col xs={12} md={6}>
        <Form.Item name="establishedOn" label={t('units.establishedOn')}>
          <DatePicker style={{ width: '100%' }} disabled={readOnly} inputReadOnly />
        </Form.Item>
      </Col>
      <Col xs={12} md={6}>
        <Form.Item name="sortOrder" label={t('units.sortOrder')}>
          <InputNumber min={0} max={1000000} precision={0} style={{ width: '100%' }} readOnly={readOnly} />
        </Form.Item>
      </Col>
      <Col xs={24}>
        <Form.Item name="description" label={t('units.description')} rules={[{ max: 1000 }]}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} readOnly={readOnly} />
        </Form.Item>
      </Col>
      {showActive && (
        <Col xs={24}>
          <Form.Item name="active" label={t('units.active')} valuePropName="checked">
            <Switch disabled={readOnly} />
          </Form.Item>
        </Col>
      )}
    </Row>
  );
}

function CreateChildModal({ parent, onClose, onCreated }: { parent: Unit | null; onClose: () => void; onCreated: (u: Unit) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<UnitFormValues>();
  const [busy, setBusy] = useState(false);
  const kinds = parent ? UNIT_CHILD_KINDS[parent.kind] : UNIT_KINDS;
  return (
    <Modal
      open={!!parent}
      title={parent ? t('units.addChildTitle', { name: parent.name }) : ''}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={busy}
      destroyOnHidden
      width={640}
    >
      <Form<UnitFormValues>
        form={form}
        name="unitCreate"
        layout="vertical"
        preserve={false}
        initialValues={{ kind: kinds.length === 1 ? kinds[0] : undefined, sortOrder: 0 }}
        onFinish={async (v) => {
          if (!parent) return;
          setBusy(true);
          try {
            const body = compact(clean({ ...v, establishedOn: fromDay(v.establishedOn) }));
            const created = await unitsApi.create({ ...body, parentId: parent.id, kind: v.kind, name: v.name.trim() });
            message.success(t('common.created'));
            onCreated(created);
          } catch (e) {
            applyServerErrors(form, e, (m) => message.error(m));
          } finally {
            setBusy(false);
          }
        }}
        data-testid="unit-create-form"
      >
        <UnitFields kinds={kinds} readOnly={false} showActive={false} />
      </Form>
    </Modal>
  );
}

function MoveModal({ unit, units, onClose, onMoved }: { unit: Unit | null; units: Unit[]; onClose: () => void; onMoved: () => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const { message } = App.useApp();
  const [parentId, setParentId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const blocked = useMemo(() => (unit ? subtreeIds(units, unit.id) : new Set<string>()), [unit, units]);
  useEffect(() => setParentId(unit?.parentId ?? null), [unit]);
  if (!unit) return null;
  const newParent = units.find((u) => u.id === parentId);
  const kindOk = newParent ? UNIT_CHILD_KINDS[newParent.kind].includes(unit.kind) : true;
  return (
    <Modal
      open
      title={t('units.moveTitle', { name: unit.name })}
      onCancel={onClose}
      okText={t('units.move')}
      okButtonProps={{ disabled: !parentId || parentId === unit.parentId || !kindOk }}
      confirmLoading={busy}
      onOk={async () => {
        if (!parentId) return;
        setBusy(true);
        try {
          await unitsApi.update(unit.id, { version: unit.version, parentId });
          message.success(t('units.moved'));
          onMoved();
        } catch (e) {
          message.error(e instanceof Error ? e.message : String(e));
        } finally {
          setBusy(false);
        }
      }}
    >
      <Typography.Paragraph type="secondary">{t('units.moveHint')}</Typography.Paragraph>
      <Form layout="vertical">
        <Form.Item
          label={t('units.newParent')}
          validateStatus={kindOk ? undefined : 'error'}
          help={
            kindOk || !newParent ? undefined : t('units.kindNotAllowed', { parent: pick(UNIT_KIND_LABELS[newParent.kind], lang), child: pick(UNIT_KIND_LABELS[unit.kind], lang) })
          }
        >
          <UnitTreeSelect
            value={parentId}
            onChange={setParentId}
            allowClear={false}
            isDisabled={(u) => blocked.has(u.id) || !UNIT_CHILD_KINDS[u.kind].includes(unit.kind)}
            data-testid="unit-move-parent"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ancestorsOf(unit: Unit, byId: Map<string, Unit>): Unit[] {
  const out: Unit[] = [];
  let cur = unit.parentId ? byId.get(unit.parentId) : undefined;
  while (cur && out.length < 50) {
    out.unshift(cur);
    cur = cur.parentId ? byId.get(cur.parentId) : undefined;
  }
  return out;
}

function UnitDetails({ unit, units, onSelect, onAddChild, onMove }: { unit: Unit; units: Unit[]; onSelect: (id: string | null) => void; onAddChild: () => void; onMove: () => void }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<UnitFormValues>();
  const [busy, setBusy] = useState(false);
  const byId = useMemo(() => new Map(units.map((u) => [u.id, u])), [units]);
  const parent = unit.parentId ? byId.get(unit.parentId) : undefined;
  const children = units.filter((u) => u.parentId === unit.id);
  const allowedKinds = parent ? UNIT_CHILD_KINDS[parent.kind] : UNIT_KINDS;
  const readOnly = !unit.can.update;
  const initial: UnitFormValues = {
    kind: unit.kind,
    name: unit.name,
    shortName: unit.shortName ?? '',
    description: unit.description ?? '',
    establishedOn: toDay(unit.establishedOn),
    sortOrder: unit.sortOrder,
    active: unit.active,
  };

  useEffect(() => {
    form.resetFields();
  }, [unit.id, unit.version, form]);

  return (
    <Card title={t('units.details')} data-testid="unit-details">
      <Flex vertical gap={12}>
        <Breadcrumb
          items={[...ancestorsOf(unit, byId).map((a) => ({ key: a.id, title: <a onClick={() => onSelect(a.id)}>{a.shortName || a.name}</a> })), { key: unit.id, title: unit.name }]}
        />
        <Flex align="center" gap={8} wrap="wrap">
          <Typography.Title level={4} style={{ margin: 0 }}>
            {unit.name}
          </Typography.Title>
          <KindTag kind={unit.kind} />
          {!unit.active && <Tag>{t('common.inactive')}</Tag>}
          <Typography.Text type="secondary">
            {t('units.childCount')}：{children.length}
          </Typography.Text>
        </Flex>
        <Flex gap={8} wrap="wrap">
          {unit.can.createChild && (
            <Button type="primary" icon={<PlusOutlined />} onClick={onAddChild} data-testid="unit-add-child">
              {t('units.addChild')}
            </Button>
          )}
          {unit.can.update && (
            <Button icon={<DragOutlined />} onClick={onMove}>
              {t('units.move')}
            </Button>
          )}
          {unit.can.delete && (
            <Button
              danger
              icon={<DeleteOutlined />}
              onClick={() =>
                modal.confirm({
                  title: t('common.delete'),
                  content: t('common.deleteConfirm', { name: unit.name }),
                  okType: 'danger',
                  okText: t('common.delete'),
                  onOk: async () => {
                    try {
                      await unitsApi.remove(unit.id, unit.version);
                      message.success(t('common.deleted'));
                      onSelect(unit.parentId);
                    } catch (e) {
                      message.error(e instanceof Error ? e.message : String(e));
                    } finally {
                      await qc.invalidateQueries({ queryKey: unitsKey });
                    }
                  },
                })
              }
            >
              {t('common.delete')}
            </Button>
          )}
        </Flex>
        <Form<UnitFormValues>
          form={form}
          name="unitDetails"
          layout="vertical"
          initialValues={initial}
          onFinish={async (v) => {
            setBusy(true);
            try {
              const next = clean({ ...v, establishedOn: fromDay(v.establishedOn) });
              const prev = clean({ ...initial, establishedOn: unit.establishedOn });
              const patch = changed(prev, next);
              if (Object.keys(patch).length) await unitsApi.update(unit.id, { ...patch, version: unit.version });
              message.success(t('common.saved'));
            } catch (e) {
              applyServerErrors(form, e, (m) => message.error(m));
            } finally {
              setBusy(false);
              await qc.invalidateQueries({ queryKey: unitsKey });
            }
          }}
        >
          <UnitFields
            kinds={allowedKinds}
            kindDisabled={(k) => children.some((c) => !UNIT_CHILD_KINDS[k].includes(c.kind))}
            readOnly={readOnly}
            showActive
          />
          {!readOnly && (
            <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={busy}>
              {t('common.save')}
            </Button>
          )}
        </Form>
      </Flex>
    </Card>
  );
}

function matches(u: Unit, q: string): boolean {
  return u.name.includes(q) || (u.shortName ?? '').includes(q);
}

/** 组织架构: the unit tree on the left (on top on phones), the selected unit's details on the right. */
export default function UnitsPage() {
  const { t } = useTranslation();
  const mobile = useIsMobile();
  const qc = useQueryClient();
  const { data: units, isLoading, error, refetch } = useUnits();
  const [params, setParams] = useSearchParams();
  const selectedId = params.get('id');
  const [expanded, setExpanded] = useState<string[] | null>(null);
  const [search, setSearch] = useState('');
  const [addUnder, setAddUnder] = useState<Unit | null>(null);
  const [moving, setMoving] = useState<Unit | null>(null);
  const detailsRef = useRef<HTMLDivElement>(null);

  const list = units ?? [];
  const selected = list.find((u) => u.id === selectedId) ?? null;
  const forest = useMemo(() => buildUnitForest(list), [list]);

  useEffect(() => {
    if (units && expanded === null) setExpanded(units.filter((u) => units.some((c) => c.parentId === u.id)).map((u) => u.id));
  }, [units, expanded]);

  const select = (id: string | null, scroll = false) => {
    setParams(id ? { id } : {}, { replace: true });
    if (scroll && mobile) setTimeout(() => detailsRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' }), 50);
  };

  const q = search.trim();
  const treeData = useMemo(() => {
    const toNode = (n: UnitNode): TreeDataNode | null => {
      const kids = n.children.map(toNode).filter((x): x is TreeDataNode => x !== null);
      if (q && !matches(n.unit, q) && !kids.length) return null;
      return {
        key: n.unit.id,
        title: (
          <Flex component="span" align="center" gap={6} style={{ display: 'inline-flex' }}>
            <span style={{ color: n.unit.active ? undefined : 'rgba(0,0,0,0.35)' }}>{n.unit.name}</span>
            <KindTag kind={n.unit.kind} />
            {n.unit.shortName && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{n.unit.shortName}</Typography.Text>}
            {!n.unit.active && <Tag style={{ marginInlineEnd: 0 }}>{t('common.inactive')}</Tag>}
          </Flex>
        ),
        children: kids,
      };
    };
    return forest.map(toNode).filter((x): x is TreeDataNode => x !== null);
  }, [forest, q, t]);

  const expandedKeys = q ? list.map((u) => u.id) : (expanded ?? []);

  return (
    <>
      <PageHeader title={t('units.title')} subtitle={t('units.subtitle')} extra={<ExportButton path={unitsApi.exportPath} />} />
      <QueryState loading={isLoading} error={error} retry={() => void refetch()}>
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={10} xl={9} xxl={7}>
            <Card title={t('units.tree')} styles={{ body: { padding: mobile ? 8 : 12 } }}>
              <Input.Search allowClear placeholder={t('units.searchPlaceholder')} onChange={(e) => setSearch(e.target.value)} style={{ marginBottom: 8 }} />
              <div style={{ overflowX: 'auto', maxHeight: mobile ? 420 : 'calc(100vh - 300px)', overflowY: 'auto' }}>
                <Tree
                  className="qibu-tree"
                  data-testid="unit-tree"
                  treeData={treeData}
                  blockNode
                  showLine={{ showLeafIcon: false }}
                  selectedKeys={selectedId ? [selectedId] : []}
                  expandedKeys={expandedKeys}
                  onExpand={(keys) => !q && setExpanded(keys.map(String))}
                  onSelect={(keys) => keys[0] !== undefined && select(String(keys[0]), true)}
                />
              </div>
            </Card>
          </Col>
          <Col xs={24} lg={14} xl={15} xxl={17} ref={detailsRef}>
            {selected ? (
              <UnitDetails unit={selected} units={list} onSelect={(id) => select(id)} onAddChild={() => setAddUnder(selected)} onMove={() => setMoving(selected)} />
            ) : (
              <Card>
                <Empty description={t('units.selectHint')} />
              </Card>
            )}
          </Col>
        </Row>
      </QueryState>
      <CreateChildModal
        parent={addUnder}
        onClose={() => setAddUnder(null)}
        onCreated={(u) => {
          const parentId = addUnder?.id;
          setAddUnder(null);
          if (parentId) setExpanded((prev) => [...new Set([...(prev ?? []), parentId])]);
          void qc.invalidateQueries({ queryKey: unitsKey });
          select(u.id);
        }}
      />
      <MoveModal
        unit={moving}
        units={list}
        onClose={() => setMoving(null)}
        onMoved={() => {
          const id = moving?.id;
          setMoving(null);
          void qc.invalidateQueries({ queryKey: unitsKey }).then(() => {
            const moved = qc.getQueryData<Unit[]>(unitsKey)?.find((u) => u.id === id);
            if (moved?.parentId) setExpanded((prev) => [...new Set([...(prev ?? []), moved.parentId!])]);
          });
        }}
      />
    </>
  );
}
