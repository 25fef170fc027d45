import { useMemo, useState } from 'react';
import { Alert, Button, Card, Col, Empty, Flex, Input, Radio, Row, Spin, Typography } from 'antd';
import { CheckOutlined, SaveOutlined } from '@ant-design/icons';
import { useQueries } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ATTENDANCE_STATUSES, type AttendanceStatus } from '../../../shared/meetings.ts';
import { api } from '../../api/client.ts';
import { useCommands } from '../../api/commands.ts';
import { useGroups } from '../../api/groups.ts';
import type { AttendanceInput } from '../../api/meetings.ts';
import type { Paged, User } from '../../api/types.ts';
import { useIsMobile } from '../../components/useIsMobile.ts';
import { useLang } from '../../i18n/index.ts';
import { useMeetingCtx } from './context.tsx';
import { attendanceLabel } from './meetings.tsx';

interface Person {
  id: string;
  name: string;
  note: string | null;
}

interface Section {
  key: string;
  title: string;
  people: Person[];
}

interface Mark {
  status: AttendanceStatus;
  reason: string;
  substituteName: string;
}

const STATUS_COLORS: Record<AttendanceStatus, string> = { present: '#389e0d', absent: '#cf1322', substitute: '#d46b08' };

/** Who is expected: the body's own people (and the chair), the invited units' people, the invited HQs' people. */
function useSections(): { sections: Section[]; loading: boolean } {
  const { t } = useTranslation();
  const { m } = useMeetingCtx();
  const commands = useCommands();
  const groups = useGroups('leading_group', m.body.kind === 'group');
  const unitUsers = useQueries({
    queries: m.invitees.units.map((u) => ({
      queryKey: ['users', 'of-unit', u.id],
      queryFn: () => api.get<Paged<User>>('/api/users', { unitId: u.id, page: 1, pageSize: 200 }).then((r) => r.items),
      staleTime: 300_000,
    })),
    combine: (results) => ({ data: results.map((r) => r.data ?? []), loading: results.some((r) => r.isLoading) }),
  });
  const loading = commands.isLoading || unitUsers.loading || (m.body.kind === 'group' && groups.isLoading);
  const sections = useMemo(() => {
    const seen = new Set<string>();
    const out: Section[] = [];
    const add = (key: string, title: string, people: Person[]) => {
      const fresh: Person[] = [];
      for (const p of people) {
        if (seen.has(p.id)) continue;
        seen.add(p.id);
        fresh.push(p);
      }
      if (fresh.length) out.push({ key, title, people: fresh });
    };
    const own: Person[] = [];
    if (m.chair) own.push({ id: m.chair.id, name: m.chair.name, note: t('meetings.attendance.chair') });
    if (m.body.kind === 'command') {
      const c = (commands.data ?? []).find((x) => x.id === m.body.id);
      for (const mem of c?.members ?? []) own.push({ id: mem.userId, name: mem.displayName, note: mem.fromUnit?.name ?? null });
    } else {
      const g = (groups.data ?? []).find((x) => x.id === m.body.id);
      for (const mem of g?.members ?? []) own.push({ id: mem.userId, name: mem.displayName, note: mem.duty });
    }
    add(`body-${m.body.id}`, m.body.name, own);
    m.invitees.units.forEach((u, i) => {
      const users = (unitUsers.data[i] ?? []).filter((x) => !x.disabled);
      add(`unit-${u.id}`, u.name, users.map((x) => ({ id: x.id, name: x.displayName, note: x.title })));
    });
    for (const ref of m.invitees.commands) {
      const c = (commands.data ?? []).find((x) => x.id === ref.id);
      add(`command-${ref.id}`, ref.name, (c?.members ?? []).map((mem) => ({ id: mem.userId, name: mem.displayName, note: mem.fromUnit?.name ?? null })));
    }
    add(
      'others',
      t('meetings.attendance.others'),
      m.attendance.map((a) => ({ id: a.user.id, name: a.user.name, note: a.unit?.name ?? null })),
    );
    return out;
  }, [m, commands.data, groups.data, t, unitUsers.data]);
  return { sections, loading };
}

function PersonRow({ p, mark, onChange, canEdit, error }: { p: Person; mark: Mark | undefined; onChange: (m: Mark) => void; canEdit: boolean; error: boolean }) {
  const { t } = useTranslation();
  const lang = useLang();
  const mobile = useIsMobile();
  const status = mark?.status;
  const set = (patch: Partial<Mark>) => onChange({ status: status ?? 'present', reason: mark?.reason ?? '', substituteName: mark?.substituteName ?? '', ...patch });
  return (
    <div
      style={{ padding: '10px 0', borderBottom: '1px solid #f0f0f0', borderInlineStart: `3px solid ${status ? STATUS_COLORS[status] : 'transparent'}`, paddingInlineStart: 10 }}
      data-testid="attendance-person"
      data-name={p.name}
      data-status={status ?? 'none'}
    >
      <Flex justify="space-between" align={mobile ? 'stretch' : 'center'} gap={8} vertical={mobile}>
        <div style={{ minWidth: 0 }}>
          <Typography.Text strong>{p.name}</Typography.Text>
          {p.note && (
            <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineStart: 6 }}>
              {p.note}
            </Typography.Text>
          )}
          {!status && (
            <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineStart: 6 }}>
              · {t('meetings.attendance.unrecorded')}
            </Typography.Text>
          )}
        </div>
        {canEdit ? (
          <Radio.Group
            value={status}
            onChange={(e) => set({ status: e.target.value as AttendanceStatus })}
            optionType="button"
            buttonStyle="solid"
            size={mobile ? 'large' : 'middle'}
            style={mobile ? { display: 'flex', width: '100%' } : undefined}
            data-testid="attendance-status"
          >
            {ATTENDANCE_STATUSES.map((s) => (
              <Radio.Button key={s} value={s} style={mobile ? { flex: 1, textAlign: 'center' } : undefined} data-testid={`attendance-${s}`}>
                {attendanceLabel(s, lang)}
              </Radio.Button>
            ))}
          </Radio.Group>
        ) : (
          status && <Typography.Text style={{ color: STATUS_COLORS[status] }}>{attendanceLabel(status, lang)}</Typography.Text>
        )}
      </Flex>
      {status === 'absent' &&
        (canEdit ? (
          <Input
            style={{ marginTop: 8 }}
            size={mobile ? 'large' : 'middle'}
            placeholder={t('meetings.attendance.reasonPlaceholder')}
            value={mark?.reason}
            status={error ? 'error' : undefined}
            maxLength={200}
            onChange={(e) => set({ reason: e.target.value })}
            data-testid="attendance-reason"
          />
        ) : (
          <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12, marginTop: 4 }}>
            {mark?.reason}
          </Typography.Text>
        ))}
      {status === 'substitute' &&
        (canEdit ? (
          <Input
            style={{ marginTop: 8 }}
            size={mobile ? 'large' : 'middle'}
            placeholder={t('meetings.attendance.substitutePlaceholder')}
            value={mark?.substituteName}
            status={error ? 'error' : undefined}
            maxLength={50}
            onChange={(e) => set({ substituteName: e.target.value })}
            data-testid="attendance-substitute"
          />
        ) : (
          <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12, marginTop: 4 }}>
            {t('meetings.attendance.substituteIs', { name: mark?.substituteName })}
          </Typography.Text>
        ))}
    </div>
  );
}

function counts(people: Person[], marks: (id: string) => Mark | undefined) {
  const c = { present: 0, absent: 0, substitute: 0, none: 0 };
  for (const p of people) c[marks(p.id)?.status ?? 'none']++;
  return c;
}

/** 出席: present / absent with a reason / substitute with a name, per person; counted per unit. Big buttons for a phone. */
export function AttendanceTab() {
  const { t } = useTranslation();
  const mobile = useIsMobile();
  const { m, save } = useMeetingCtx();
  const { sections, loading } = useSections();
  const [edits, setEdits] = useState<Record<string, Mark>>({});
  const [errors, setErrors] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const canEdit = m.can.update && m.status !== 'cancelled';

  const saved = useMemo(() => new Map(m.attendance.map((a) => [a.user.id, { status: a.status, reason: a.reason ?? '', substituteName: a.substituteName ?? '' } as Mark])), [m.attendance]);
  const markOf = (id: string) => edits[id] ?? saved.get(id);
  const dirty = Object.entries(edits).filter(([id, e]) => JSON.stringify(e) !== JSON.stringify(saved.get(id)));
  const everyone = sections.flatMap((s) => s.people);
  const total = counts(everyone, markOf);

  const setMark = (id: string, mark: Mark) => {
    setEdits((prev) => ({ ...prev, [id]: mark }));
    if (errors.has(id)) setErrors((prev) => new Set([...prev].filter((x) => x !== id)));
  };
  const allPresent = () => {
    const next = { ...edits };
    for (const p of everyone) if (!markOf(p.id)) next[p.id] = { status: 'present', reason: '', substituteName: '' };
    setEdits(next);
  };
  const submit = async () => {
    const bad = dirty.filter(([, e]) => (e.status === 'absent' && !e.reason.trim()) || (e.status === 'substitute' && !e.substituteName.trim())).map(([id]) => id);
    if (bad.length) {
      setErrors(new Set(bad));
      return;
    }
    const attendance: AttendanceInput[] = dirty.map(([userId, e]) => ({
      userId,
      status: e.status,
      reason: e.status === 'present' ? null : e.reason.trim() || null,
      substituteName: e.status === 'substitute' ? e.substituteName.trim() : null,
    }));
    setBusy(true);
    const ok = await save({ attendance }, { touchesMinutes: true, done: t('meetings.attendance.saved', { count: attendance.length }) });
    setBusy(false);
    if (ok) setEdits({});
  };

  if (loading)
    return (
      <Flex justify="center" style={{ padding: 32 }}>
        <Spin />
      </Flex>
    );

  return (
    <div data-testid="attendance-tab">
      <Flex gap={8} wrap="wrap" style={{ marginBottom: 12 }} data-testid="attendance-totals">
        {(['present', 'absent', 'substitute'] as const).map((s) => (
          <Card key={s} size="small" styles={{ body: { padding: '6px 12px' } }} style={{ flex: mobile ? '1 1 0' : undefined, minWidth: mobile ? 0 : 90 }}>
            <div style={{ fontSize: 22, fontWeight: 600, color: STATUS_COLORS[s] }} className="qibu-num" data-testid={`attendance-count-${s}`}>
              {total[s]}
            </div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t(`meetings.attendance.totals.${s}`)}
            </Typography.Text>
          </Card>
        ))}
        <Card size="small" styles={{ body: { padding: '6px 12px' } }} style={{ flex: mobile ? '1 1 0' : undefined, minWidth: mobile ? 0 : 90 }}>
          <div style={{ fontSize: 22, fontWeight: 600 }} className="qibu-num" data-testid="attendance-count-none">
            {total.none}
          </div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('meetings.attendance.totals.none')}
          </Typography.Text>
        </Card>
      </Flex>
      {m.attendanceByUnit.length > 0 && (
        <Card size="small" title={t('meetings.attendance.byUnit')} style={{ marginBottom: 12 }} styles={{ body: { padding: '4px 12px' } }} data-testid="attendance-by-unit">
          {m.attendanceByUnit.map((u) => (
            <Flex key={u.unit?.id ?? 'none'} justify="space-between" gap={8} style={{ padding: '6px 0', borderBottom: '1px solid #f5f5f5' }} wrap="wrap" data-testid="attendance-unit-row" data-unit={u.unit?.name ?? ''}>
              <Typography.Text>{u.unit?.name ?? t('meetings.attendance.noUnit')}</Typography.Text>
              <Typography.Text type="secondary" className="qibu-num">
                {t('meetings.attendance.unitCounts', { present: u.present, absent: u.absent, substitute: u.substitute })}
              </Typography.Text>
            </Flex>
          ))}
        </Card>
      )}
      {canEdit && everyone.length > 0 && (
        <Flex gap={8} wrap="wrap" style={{ marginBottom: 12 }}>
          <Button icon={<CheckOutlined />} onClick={allPresent} disabled={total.none === 0} size={mobile ? 'large' : 'middle'} block={mobile} data-testid="attendance-all-present">
            {t('meetings.attendance.allPresent')}
          </Button>
        </Flex>
      )}
      {errors.size > 0 && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={t('meetings.attendance.missing')} />}
      {sections.length === 0 ? (
        <Empty description={t('meetings.attendance.empty')} />
      ) : (
        <Row gutter={[16, 12]}>
          {sections.map((s) => {
            const c = counts(s.people, markOf);
            return (
              <Col key={s.key} xs={24} xl={12}>
                <Card
                  size="small"
                  title={<span style={{ whiteSpace: 'normal' }}>{s.title}</span>}
                  extra={
                    <Typography.Text type="secondary" style={{ fontSize: 12 }} className="qibu-num">
                      {t('meetings.attendance.sectionCounts', { present: c.present, absent: c.absent, substitute: c.substitute, total: s.people.length })}
                    </Typography.Text>
                  }
                  styles={{ body: { padding: '0 12px' } }}
                  data-testid="attendance-section"
                  data-title={s.title}
                >
                  {s.people.map((p) => (
                    <PersonRow key={p.id} p={p} mark={markOf(p.id)} onChange={(mk) => setMark(p.id, mk)} canEdit={canEdit} error={errors.has(p.id)} />
                  ))}
                </Card>
              </Col>
            );
          })}
        </Row>
      )}
      {canEdit && (
        <div style={{ position: 'sticky', bottom: 0, zIndex: 5, background: '#fff', padding: '12px 0', marginTop: 12, borderTop: dirty.length ? '1px solid #f0f0f0' : undefined }}>
          <Flex gap={8} align="center" justify={mobile ? 'stretch' : 'flex-start'}>
            <Button type="primary" icon={<SaveOutlined />} disabled={!dirty.length} loading={busy} onClick={() => void submit()} size={mobile ? 'large' : 'middle'} block={mobile} data-testid="attendance-save">
              {dirty.length ? t('meetings.attendance.saveCount', { count: dirty.length }) : t('meetings.attendance.save')}
            </Button>
          </Flex>
        </div>
      )}
    </div>
  );
}
