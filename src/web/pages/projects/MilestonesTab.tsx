import { useState } from 'react';
import { App, Button, Col, DatePicker, Flex, Form, Input, InputNumber, Modal, Row, Space, Table, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import { ApiError } from '../../api/client.ts';
import { projectKey, projectsApi, useMilestones, type Milestone, type Project } from '../../api/projects.ts';
import { QueryState } from '../../components/QueryState.tsx';
import { dash } from '../../components/format.ts';
import { applyServerErrors, errorText, fromDay, rules, toDay } from '../../components/forms.ts';
import { useIsMobile } from '../../components/useIsMobile.ts';
import { GanttChart, type GanttRowDef } from './Gantt.tsx';
import { MilestoneTag } from './ledger.tsx';
import { todayInZone } from '../../components/format.ts';

interface Values {
  name: string;
  plannedOn: Dayjs;
  actualOn?: Dayjs | null;
  notes?: string;
  sortOrder?: number;
}

const LATE = new Set(['done_late', 'overdue']);

export interface GanttWords {
  planned: string;
  actual: string;
  overdue: string;
}

export function useGanttWords(): GanttWords {
  const { t } = useTranslation();
  return { planned: t('projects.gantt.planned'), actual: t('projects.gantt.actual'), overdue: t('projects.milestoneStatus.overdue') };
}

/** Planned vs actual per milestone: each bar starts where the previous milestone was planned (or the project's start). */
export function milestoneRows(project: Pick<Project, 'plannedStartOn' | 'startedOn'>, list: Milestone[], words: GanttWords): GanttRowDef[] {
  const today = todayInZone();
  const sorted = [...list].sort((a, b) => a.plannedOn.localeCompare(b.plannedOn) || a.sortOrder - b.sortOrder);
  let prev = project.plannedStartOn ?? project.startedOn ?? null;
  return sorted.map((m) => {
    const from = prev && prev < m.plannedOn ? prev : dayjs(m.plannedOn).subtract(30, 'day').format('YYYY-MM-DD');
    prev = m.plannedOn;
    const late = LATE.has(m.status);
    const bars: GanttRowDef['bars'] = [{ from, to: m.plannedOn, tone: 'plan', lane: 'upper', title: `${m.name} · ${words.planned} ${m.plannedOn}` }];
    if (m.actualOn) bars.push({ from, to: m.actualOn, tone: m.status === 'done_late' ? 'late' : 'done', lane: 'lower', title: `${m.name} · ${words.actual} ${m.actualOn}` });
    else if (m.status === 'overdue') bars.push({ from, to: today, tone: 'overdue', lane: 'lower', title: `${m.name} · ${words.overdue}` });
    return {
      key: m.id,
      late,
      label: (
        <span title={m.name}>
          {m.name}
          <div style={{ fontSize: 11, color: late ? '#cf1322' : 'rgba(0,0,0,0.45)' }}>
            {m.plannedOn}
            {m.actualOn ? ` → ${m.actualOn}` : ''}
          </div>
        </span>
      ),
      bars,
      markers: [],
    };
  });
}

function MilestoneModal({ project, editing, onClose, onSaved }: { project: Project; editing: Milestone | 'new' | null; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  if (!editing) return null;
  const m = editing === 'new' ? null : editing;
  return (
    <Modal open title={m ? t('projects.milestones.edit') : t('projects.milestones.add')} onCancel={onClose} onOk={() => form.submit()} okText={t('common.save')} confirmLoading={busy} destroyOnHidden>
      <Form<Values>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ name: m?.name ?? '', plannedOn: toDay(m?.plannedOn) ?? undefined, actualOn: toDay(m?.actualOn), notes: m?.notes ?? '', sortOrder: m?.sortOrder ?? 0 }}
        onFinish={async (v) => {
          setBusy(true);
          try {
            const body = { name: v.name.trim(), plannedOn: fromDay(v.plannedOn)!, actualOn: fromDay(v.actualOn), notes: v.notes?.trim() || null, sortOrder: v.sortOrder ?? 0 };
            if (m) await projectsApi.updateMilestone(project.id, m.id, { ...body, version: m.version });
            else await projectsApi.addMilestone(project.id, body);
            message.success(t('common.saved'));
            onSaved();
          } catch (e) {
            applyServerErrors(form, e, (x) => message.error(x));
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item name="name" label={t('projects.milestones.name')} rules={[rules.required(), rules.max(200)]}>
          <Input />
        </Form.Item>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="plannedOn" label={t('projects.milestones.plannedOn')} rules={[rules.requiredSelect()]}>
              <DatePicker style={{ width: '100%' }} inputReadOnly />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="actualOn" label={t('projects.milestones.actualOn')}>
              <DatePicker style={{ width: '100%' }} inputReadOnly disabledDate={(d) => d.format('YYYY-MM-DD') > todayInZone()} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="notes" label={t('projects.fields.notes')} rules={[rules.max(1000)]}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} />
        </Form.Item>
        <Form.Item name="sortOrder" label={t('projects.milestones.sortOrder')}>
          <InputNumber min={0} max={10000} precision={0} style={{ width: 140 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 节点: the milestones with their status, and the same as a Gantt (planned over actual; late in red). */
export function MilestonesTab({ project }: { project: Project }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const mobile = useIsMobile();
  const qc = useQueryClient();
  const { data, isLoading, error, refetch } = useMilestones(project.id);
  const [editing, setEditing] = useState<Milestone | 'new' | null>(null);
  const words = useGanttWords();
  const refresh = () => void qc.invalidateQueries({ queryKey: projectKey(project.id) });
  const list = data ?? [];
  const late = list.filter((m) => LATE.has(m.status)).length;
  const mayEdit = (m: Milestone) => m.can?.update ?? project.can.update;
  const mayDelete = (m: Milestone) => m.can?.delete ?? project.can.update;

  return (
    <QueryState loading={isLoading} error={error} retry={() => void refetch()}>
      <Flex justify="space-between" align="center" wrap="wrap" gap={8} style={{ marginBottom: 12 }}>
        <Typography.Text type="secondary">
          {t('projects.milestones.summary', { total: list.length, done: list.filter((m) => m.actualOn).length, late })}
        </Typography.Text>
        {project.can.update && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="milestone-add">
            {t('projects.milestones.add')}
          </Button>
        )}
      </Flex>
      <div style={{ marginBottom: 20 }}>
        <GanttChart rows={milestoneRows(project, list, words)} emptyText={t('projects.milestones.empty')} testId="milestone-gantt" />
      </div>
      <Table<Milestone>
        rowKey="id"
        size={mobile ? 'small' : 'middle'}
        dataSource={[...list].sort((a, b) => a.plannedOn.localeCompare(b.plannedOn))}
        pagination={false}
        scroll={{ x: 760 }}
        rowClassName={(m) => (LATE.has(m.status) ? 'qibu-row-late' : '')}
        columns={[
          { title: t('projects.milestones.name'), dataIndex: 'name', width: 220 },
          { title: t('projects.milestones.plannedOn'), dataIndex: 'plannedOn', width: 120 },
          { title: t('projects.milestones.actualOn'), dataIndex: 'actualOn', width: 120, render: (v: string | null) => dash(v) },
          { title: t('common.status'), dataIndex: 'status', width: 110, render: (_, m) => <MilestoneTag status={m.status} /> },
          { title: t('projects.fields.notes'), dataIndex: 'notes', ellipsis: true, render: (v: string | null) => dash(v) },
          {
            title: t('common.actions'),
            key: 'a',
            width: 120,
            render: (_, m) => (
              <Space size={0}>
                {mayEdit(m) && <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(m)} aria-label={t('common.edit')} />}
                {mayDelete(m) && (
                  <Button
                    type="link"
                    size="small"
                    danger
                    icon={<DeleteOutlined />}
                    aria-label={t('common.delete')}
                    onClick={() =>
                      modal.confirm({
                        title: t('common.delete'),
                        content: t('common.deleteConfirm', { name: m.name }),
                        okType: 'danger',
                        onOk: async () => {
                          try {
                            await projectsApi.removeMilestone(project.id, m.id, m.version);
                            message.success(t('common.deleted'));
                          } catch (e) {
                            message.error(e instanceof ApiError ? e.message : errorText(e));
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
      />
      {editing && (
        <MilestoneModal
          key={editing === 'new' ? 'new' : editing.id}
          project={project}
          editing={editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            refresh();
          }}
        />
      )}
    </QueryState>
  );
}
