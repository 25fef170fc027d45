import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { App, Button, Col, DatePicker, Descriptions, Drawer, Flex, Form, Input, Modal, Row, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { EditOutlined, PlusOutlined, TeamOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Dayjs } from 'dayjs';
import { GROUP_KINDS, GROUP_MEMBER_ROLES, type GroupKind, type GroupMemberRole } from '../../shared/org.ts';
import { useCommands } from '../api/commands.ts';
import { groupsApi, groupsKey, useGroups } from '../api/groups.ts';
import type { Group, GroupMember } from '../api/types.ts';
import { DeleteButton } from '../components/DeleteButton.tsx';
import { ExportButton } from '../components/ExportButton.tsx';
import { MembersEditor } from '../components/MembersEditor.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { QueryState } from '../components/QueryState.tsx';
import { dash } from '../components/format.ts';
import { applyServerErrors, changed, clean, compact, fromDay, toDay } from '../components/forms.ts';
import { useCurrentUser } from '../components/session.tsx';
import { useIsMobile } from '../components/useIsMobile.ts';

interface GroupFormValues {
  name: string;
  theme?: string;
  commandId?: string | null;
  establishedOn?: Dayjs | null;
}

const ROLE_COLORS: Record<GroupMemberRole, string> = { head: 'red', deputy_head: 'orange', member: 'blue' };

function groupValues(g: Group | null): GroupFormValues {
  return { name: g?.name ?? '', theme: g?.theme ?? '', commandId: g?.command?.id ?? null, establishedOn: toDay(g?.establishedOn) };
}

function GroupFormModal({ open, kind, group, onClose, onSaved }: { open: boolean; kind: GroupKind; group: Group | null; onClose: () => void; onSaved: (g: Group) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<GroupFormValues>();
  const [busy, setBusy] = useState(false);
  const commands = useCommands(open);
  return (
    <Modal
      open={open}
      title={group ? `${t('common.edit')} · ${group.name}` : t(`groups.createKind.${kind}`)}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={busy}
      destroyOnHidden
      width={640}
    >
      <Form<GroupFormValues>
        form={form}
        name="group"
        layout="vertical"
        preserve={false}
        initialValues={groupValues(group)}
        onFinish={async (v) => {
          setBusy(true);
          try {
            const next = clean({ ...v, establishedOn: fromDay(v.establishedOn) });
            let saved: Group;
            if (group) {
              const patch = changed(clean({ ...groupValues(group), establishedOn: group.establishedOn }), next);
              saved = await groupsApi.update(group.id, { ...patch, version: group.version });
            } else {
              saved = await groupsApi.create({ ...compact(next), kind, name: v.name.trim() });
            }
            message.success(group ? t('common.saved') : t('common.created'));
            onSaved(saved);
          } catch (e) {
            applyServerErrors(form, e, (m) => message.error(m));
          } finally {
            setBusy(false);
          }
        }}
      >
        <Row gutter={16}>
          <Col xs={24}>
            <Form.Item name="name" label={t('groups.name')} rules={[{ required: true, whitespace: true }, { max: 100 }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="theme" label={t('groups.theme')} rules={[{ max: 500 }]}>
              <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={14}>
            <Form.Item name="commandId" label={t('groups.command')}>
              <Select allowClear showSearch={{ optionFilterProp: 'label' }} loading={commands.isLoading} options={(commands.data ?? []).map((c) => ({ value: c.id, label: c.name }))} />
            </Form.Item>
          </Col>
          <Col xs={24} md={10}>
            <Form.Item name="establishedOn" label={t('groups.establishedOn')}>
              <DatePicker style={{ width: '100%' }} inputReadOnly />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}

function GroupDrawer({ group, onClose, onEdit }: { group: Group | null; onClose: () => void; onEdit: (g: Group) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const mobile = useIsMobile();
  const qc = useQueryClient();
  const [editing, setEditing] = useState(false);
  const members = useMemo(
    () => [...(group?.members ?? [])].sort((a, b) => GROUP_MEMBER_ROLES.indexOf(a.memberRole) - GROUP_MEMBER_ROLES.indexOf(b.memberRole)),
    [group],
  );
  return (
    <Drawer
      open={!!group}
      onClose={() => {
        setEditing(false);
        onClose();
      }}
      size={mobile ? '100%' : 820}
      title={group?.name}
      destroyOnHidden
      extra={
        group && (
          <Space wrap>
            {group.can.update && (
              <Button icon={<EditOutlined />} onClick={() => onEdit(group)}>
                {t('common.edit')}
              </Button>
            )}
            {group.can.delete && (
              <DeleteButton name={group.name} remove={() => groupsApi.remove(group.id, group.version)} invalidate={groupsKey()} onDeleted={onClose} />
            )}
          </Space>
        )
      }
    >
      {group && (
        <Flex vertical gap={20}>
          <Descriptions
            bordered
            size="small"
            column={1}
            items={[
              { key: 'kind', label: t('units.kind'), children: t(`groupKinds.${group.kind}`) },
              { key: 'theme', label: t('groups.theme'), children: dash(group.theme) },
              { key: 'cmd', label: t('groups.command'), children: dash(group.command?.name) },
              { key: 'date', label: t('groups.establishedOn'), children: dash(group.establishedOn) },
            ]}
          />
          <div>
            <Flex justify="space-between" align="center" style={{ marginBottom: 8 }}>
              <Typography.Title level={5} style={{ margin: 0 }}>
                {t('groups.members')}（{group.members.length}）
              </Typography.Title>
              {group.can.editMembers && !editing && (
                <Button icon={<TeamOutlined />} onClick={() => setEditing(true)}>
                  {t('commands.editMembers')}
                </Button>
              )}
            </Flex>
            {editing ? (
              <MembersEditor<GroupMemberRole>
                roles={GROUP_MEMBER_ROLES}
                defaultRole="member"
                withSecondment={false}
                initial={members.map((m) => ({ userId: m.userId, memberRole: m.memberRole, duty: m.duty }))}
                known={members.map((m) => ({ id: m.userId, label: m.displayName }))}
                onCancel={() => setEditing(false)}
                onSave={async (rows) => {
                  await groupsApi.putMembers(
                    group.id,
                    group.version,
                    rows.map((r) => ({ userId: r.userId, memberRole: r.memberRole, duty: r.duty ?? null })),
                  );
                  message.success(t('commands.membersSaved'));
                  setEditing(false);
                  await qc.invalidateQueries({ queryKey: groupsKey() });
                }}
              />
            ) : (
              <Table<GroupMember>
                size="small"
                rowKey="userId"
                dataSource={members}
                pagination={false}
                scroll={{ x: 480 }}
                locale={{ emptyText: t('commands.noMembers') }}
                columns={[
                  { title: t('commands.memberName'), dataIndex: 'displayName', width: 160 },
                  { title: t('commands.memberRole'), dataIndex: 'memberRole', width: 110, render: (r: GroupMemberRole) => <Tag color={ROLE_COLORS[r]}>{t(`memberRoles.${r}`)}</Tag> },
                  { title: t('commands.duty'), dataIndex: 'duty', render: (d: string | null) => dash(d) },
                ]}
              />
            )}
          </div>
        </Flex>
      )}
    </Drawer>
  );
}

function GroupTable({ kind, onOpen }: { kind: GroupKind; onOpen: (g: Group) => void }) {
  const { t } = useTranslation();
  const { data, isLoading, error, refetch } = useGroups(kind);
  return (
    <QueryState loading={false} error={error} retry={() => void refetch()}>
      <Table<Group>
        rowKey="id"
        loading={isLoading}
        dataSource={data ?? []}
        pagination={false}
        scroll={{ x: 900 }}
        onRow={(g) => ({ onClick: () => onOpen(g), style: { cursor: 'pointer' } })}
        columns={[
          {
            title: t('groups.name'),
            dataIndex: 'name',
            fixed: 'left',
            width: 260,
            render: (name: string, g) => (
              <Space size={4} wrap>
                <a>{name}</a>
                {!g.active && <Tag>{t('common.inactive')}</Tag>}
              </Space>
            ),
          },
          { title: t('groups.theme'), dataIndex: 'theme', ellipsis: true, render: (v: string | null) => dash(v) },
          { title: t('groups.command'), key: 'command', width: 220, render: (_, g) => dash(g.command?.name) },
          {
            title: t('groups.head'),
            key: 'head',
            width: 160,
            render: (_, g) => g.members.filter((m) => m.memberRole === 'head').map((m) => m.displayName).join('、') || '—',
          },
          { title: t('groups.members'), key: 'count', width: 110, render: (_, g) => t('common.memberCount', { count: g.members.length }) },
          { title: t('groups.establishedOn'), dataIndex: 'establishedOn', width: 120, render: (v: string | null) => dash(v) },
        ]}
      />
    </QueryState>
  );
}

/** 领导小组与专班: a tab per kind, a table, a drawer with members. */
export default function GroupsPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  const kind: GroupKind = params.get('kind') === 'task_force' ? 'task_force' : 'leading_group';
  const [open, setOpen] = useState<Group | null>(null);
  const [formFor, setFormFor] = useState<{ group: Group | null } | null>(null);
  const { data } = useGroups(kind);
  const current = open ? (data?.find((g) => g.id === open.id) ?? open) : null;
  const canCreate = me.roles.includes('sys_admin');
  return (
    <>
      <PageHeader
        title={t('groups.title')}
        subtitle={t('groups.subtitle')}
        extra={
          <>
            {canCreate && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setFormFor({ group: null })}>
                {t(`groups.createKind.${kind}`)}
              </Button>
            )}
            <ExportButton path={groupsApi.exportPath} query={{ kind }} />
          </>
        }
      />
      <div style={{ background: '#fff', borderRadius: 8, padding: '0 16px 16px' }}>
        <Tabs
          activeKey={kind}
          onChange={(k) => setParams({ kind: k }, { replace: true })}
          items={GROUP_KINDS.map((k) => ({ key: k, label: t(`groupKinds.${k}`), children: <GroupTable kind={k} onOpen={setOpen} /> }))}
        />
      </div>
      <GroupDrawer group={current} onClose={() => setOpen(null)} onEdit={(g) => setFormFor({ group: g })} />
      <GroupFormModal
        open={!!formFor}
        kind={kind}
        group={formFor?.group ?? null}
        onClose={() => setFormFor(null)}
        onSaved={(g) => {
          setFormFor(null);
          void qc.invalidateQueries({ queryKey: groupsKey() });
          setOpen(g);
        }}
      />
    </>
  );
}
