import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { App, Button, Card, Col, DatePicker, Descriptions, Drawer, Empty, Flex, Form, Input, Modal, Row, Select, Space, Table, Tag, Typography } from 'antd';
import { EditOutlined, PlusOutlined, TeamOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Dayjs } from 'dayjs';
import { COMMAND_MEMBER_ROLES, type CommandMemberRole } from '../../shared/org.ts';
import { commandsApi, commandsKey, useCommands } from '../api/commands.ts';
import { useGroups } from '../api/groups.ts';
import type { Command, CommandMember } from '../api/types.ts';
import { DeleteButton } from '../components/DeleteButton.tsx';
import { ExportButton } from '../components/ExportButton.tsx';
import { MembersEditor } from '../components/MembersEditor.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { QueryState } from '../components/QueryState.tsx';
import { UnitTreeSelect } from '../components/UnitTreeSelect.tsx';
import { dash } from '../components/format.ts';
import { applyServerErrors, changed, clean, compact, fromDay, toDay } from '../components/forms.ts';
import { useCurrentUser } from '../components/session.tsx';
import { useIsMobile } from '../components/useIsMobile.ts';

interface CommandFormValues {
  name: string;
  shortName?: string;
  areaUnitId?: string | null;
  leadingGroupId?: string | null;
  responsibility?: string;
  establishedOn?: Dayjs | null;
}

const ROLE_COLORS: Record<CommandMemberRole, string> = { leader: 'red', deputy: 'orange', staff: 'blue' };

function commandValues(c: Command | null): CommandFormValues {
  return {
    name: c?.name ?? '',
    shortName: c?.shortName ?? '',
    areaUnitId: c?.areaUnit?.id ?? null,
    leadingGroupId: c?.leadingGroup?.id ?? null,
    responsibility: c?.responsibility ?? '',
    establishedOn: toDay(c?.establishedOn),
  };
}

/** Create or edit an HQ's own fields (not its members). */
function CommandFormModal({ open, command, onClose, onSaved }: { open: boolean; command: Command | null; onClose: () => void; onSaved: (c: Command) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<CommandFormValues>();
  const [busy, setBusy] = useState(false);
  const groups = useGroups('leading_group', open);
  return (
    <Modal
      open={open}
      title={command ? `${t('common.edit')} · ${command.name}` : t('commands.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={busy}
      destroyOnHidden
      width={680}
    >
      <Form<CommandFormValues>
        form={form}
        name="command"
        layout="vertical"
        preserve={false}
        initialValues={commandValues(command)}
        onFinish={async (v) => {
          setBusy(true);
          try {
            const next = clean({ ...v, establishedOn: fromDay(v.establishedOn) });
            let saved: Command;
            if (command) {
              const patch = changed(clean({ ...commandValues(command), establishedOn: command.establishedOn }), next);
              saved = await commandsApi.update(command.id, { ...patch, version: command.version });
            } else {
              saved = await commandsApi.create({ ...compact(next), name: v.name.trim() });
            }
            message.success(command ? t('common.saved') : t('common.created'));
            onSaved(saved);
          } catch (e) {
            applyServerErrors(form, e, (m) => message.error(m));
          } finally {
            setBusy(false);
          }
        }}
      >
        <Row gutter={16}>
          <Col xs={24} md={16}>
            <Form.Item name="name" label={t('commands.name')} rules={[{ required: true, whitespace: true }, { max: 100 }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="shortName" label={t('commands.shortName')} rules={[{ max: 50 }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="areaUnitId" label={t('commands.area')}>
              <UnitTreeSelect />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="leadingGroupId" label={t('commands.leadingGroup')}>
              <Select allowClear showSearch={{ optionFilterProp: 'label' }} loading={groups.isLoading} options={(groups.data ?? []).map((g) => ({ value: g.id, label: g.name }))} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="establishedOn" label={t('commands.establishedOn')}>
              <DatePicker style={{ width: '100%' }} inputReadOnly />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="responsibility" label={t('commands.responsibility')} rules={[{ max: 2000 }]}>
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}

function MembersTable({ members }: { members: CommandMember[] }) {
  const { t } = useTranslation();
  return (
    <Table<CommandMember>
      size="small"
      rowKey="userId"
      dataSource={members}
      pagination={false}
      scroll={{ x: 640 }}
      locale={{ emptyText: t('commands.noMembers') }}
      columns={[
        { title: t('commands.memberName'), dataIndex: 'displayName', width: 140 },
        { title: t('commands.memberRole'), dataIndex: 'memberRole', width: 110, render: (r: CommandMemberRole) => <Tag color={ROLE_COLORS[r]}>{t(`memberRoles.${r}`)}</Tag> },
        { title: t('commands.fromUnit'), key: 'fromUnit', render: (_, m) => dash(m.fromUnit?.name) },
        { title: t('commands.mode'), dataIndex: 'mode', width: 80, render: (m: CommandMember['mode']) => <Tag color={m === 'on_site' ? 'green' : 'default'}>{t(`modes.${m}`)}</Tag> },
        { title: t('commands.duty'), dataIndex: 'duty', render: (d: string | null) => dash(d) },
      ]}
    />
  );
}

function CommandDrawer({ command, onClose, onEdit }: { command: Command | null; onClose: () => void; onEdit: (c: Command) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const mobile = useIsMobile();
  const qc = useQueryClient();
  const [editing, setEditing] = useState(false);
  const order = (m: CommandMember) => COMMAND_MEMBER_ROLES.indexOf(m.memberRole);
  const members = useMemo(() => [...(command?.members ?? [])].sort((a, b) => order(a) - order(b)), [command]);
  return (
    <Drawer
      open={!!command}
      onClose={() => {
        setEditing(false);
        onClose();
      }}
      size={mobile ? '100%' : 960}
      title={command?.name}
      destroyOnHidden
      extra={
        command && (
          <Space wrap>
            {command.can.update && (
              <Button icon={<EditOutlined />} onClick={() => onEdit(command)}>
                {t('common.edit')}
              </Button>
            )}
            {command.can.delete && (
              <DeleteButton name={command.name} remove={() => commandsApi.remove(command.id, command.version)} invalidate={commandsKey} onDeleted={onClose} />
            )}
          </Space>
        )
      }
    >
      {command && (
        <Flex vertical gap={20}>
          <Descriptions
            bordered
            size="small"
            column={mobile ? 1 : 2}
            items={[
              { key: 'short', label: t('commands.shortName'), children: dash(command.shortName) },
              { key: 'area', label: t('commands.area'), children: dash(command.areaUnit?.name) },
              { key: 'lg', label: t('commands.leadingGroup'), children: dash(command.leadingGroup?.name) },
              { key: 'date', label: t('commands.establishedOn'), children: dash(command.establishedOn) },
              { key: 'resp', label: t('commands.responsibility'), span: mobile ? 1 : 2, children: dash(command.responsibility) },
            ]}
          />
          <div>
            <Flex justify="space-between" align="center" style={{ marginBottom: 8 }}>
              <Typography.Title level={5} style={{ margin: 0 }}>
                {t('commands.members')}（{command.members.length}）
              </Typography.Title>
              {command.can.editMembers && !editing && (
                <Button icon={<TeamOutlined />} onClick={() => setEditing(true)}>
                  {t('commands.editMembers')}
                </Button>
              )}
            </Flex>
            {editing ? (
              <MembersEditor<CommandMemberRole>
                roles={COMMAND_MEMBER_ROLES}
                defaultRole="staff"
                withSecondment
                initial={members.map((m) => ({ userId: m.userId, memberRole: m.memberRole, fromUnitId: m.fromUnit?.id ?? null, mode: m.mode, duty: m.duty }))}
                known={members.map((m) => ({ id: m.userId, label: m.displayName }))}
                onCancel={() => setEditing(false)}
                onSave={async (rows) => {
                  await commandsApi.putMembers(
                    command.id,
                    command.version,
                    rows.map((r) => ({ userId: r.userId, memberRole: r.memberRole, fromUnitId: r.fromUnitId ?? null, mode: r.mode ?? 'seconded', duty: r.duty ?? null })),
                  );
                  message.success(t('commands.membersSaved'));
                  setEditing(false);
                  await qc.invalidateQueries({ queryKey: commandsKey });
                }}
              />
            ) : (
              <MembersTable members={members} />
            )}
          </div>
        </Flex>
      )}
    </Drawer>
  );
}

function CommandCard({ command, mine, onOpen }: { command: Command; mine: boolean; onOpen: () => void }) {
  const { t } = useTranslation();
  const leaders = command.members.filter((m) => m.memberRole === 'leader').map((m) => m.displayName);
  const onSite = command.members.filter((m) => m.mode === 'on_site').length;
  return (
    <Card
      hoverable
      onClick={onOpen}
      title={
        <Flex align="center" gap={8} style={{ minWidth: 0 }}>
          <Typography.Text strong ellipsis style={{ fontSize: 15 }}>
            {command.name}
          </Typography.Text>
          {mine && <Tag color="gold">{t('commands.mine')}</Tag>}
          {!command.active && <Tag>{t('common.inactive')}</Tag>}
        </Flex>
      }
      extra={<a>{t('common.view')}</a>}
      style={{ height: '100%' }}
      data-testid="command-card"
    >
      <Descriptions
        size="small"
        column={1}
        items={[
          { key: 'area', label: t('commands.area'), children: dash(command.areaUnit?.name) },
          { key: 'leader', label: t('commands.leader'), children: leaders.length ? leaders.join('、') : '—' },
          {
            key: 'count',
            label: t('commands.memberCount'),
            children: (
              <span>
                {t('common.memberCount', { count: command.members.length })}
                {command.members.length > 0 && (
                  <Typography.Text type="secondary">
                    （{t('modes.on_site')} {onSite} · {t('modes.seconded')} {command.members.length - onSite}）
                  </Typography.Text>
                )}
              </span>
            ),
          },
          { key: 'date', label: t('commands.establishedOn'), children: dash(command.establishedOn) },
        ]}
      />
      {command.responsibility && (
        <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ marginBottom: 0, marginTop: 8 }}>
          {command.responsibility}
        </Typography.Paragraph>
      )}
    </Card>
  );
}

/** 指挥部: the HQs as cards; a drawer with the HQ's details and members (抽调 / 驻场). */
export default function CommandsPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const qc = useQueryClient();
  const { data, isLoading, error, refetch } = useCommands();
  const [params, setParams] = useSearchParams();
  const [formFor, setFormFor] = useState<{ command: Command | null } | null>(null);
  const openId = params.get('id');
  const open = data?.find((c) => c.id === openId) ?? null;
  const mine = new Set(me.commands.map((c) => c.id));
  const canCreate = me.roles.includes('sys_admin');
  return (
    <>
      <PageHeader
        title={t('commands.title')}
        subtitle={t('commands.subtitle')}
        extra={
          <>
            {canCreate && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setFormFor({ command: null })}>
                {t('commands.create')}
              </Button>
            )}
            <ExportButton path={commandsApi.exportPath} />
          </>
        }
      />
      <QueryState loading={isLoading} error={error} retry={() => void refetch()}>
        {data && data.length === 0 ? (
          <Card>
            <Empty />
          </Card>
        ) : (
          <Row gutter={[16, 16]}>
            {(data ?? []).map((c) => (
              <Col key={c.id} xs={24} md={12} xxl={6}>
                <CommandCard command={c} mine={mine.has(c.id)} onOpen={() => setParams({ id: c.id })} />
              </Col>
            ))}
          </Row>
        )}
      </QueryState>
      <CommandDrawer command={open} onClose={() => setParams({}, { replace: true })} onEdit={(c) => setFormFor({ command: c })} />
      <CommandFormModal
        open={!!formFor}
        command={formFor?.command ?? null}
        onClose={() => setFormFor(null)}
        onSaved={(c) => {
          setFormFor(null);
          void qc.invalidateQueries({ queryKey: commandsKey });
          setParams({ id: c.id });
        }}
      />
    </>
  );
}
