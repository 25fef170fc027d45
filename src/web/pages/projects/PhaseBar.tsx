import { useState } from 'react';
import { Alert, App, Button, DatePicker, Flex, Form, Input, Modal, Steps, Typography } from 'antd';
import { ArrowRightOutlined, PauseCircleOutlined, PlayCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import type { ProjectPhase } from '../../../shared/project-phase.ts';
import { nextPhases } from '../../../shared/project-phase.ts';
import { ApiError } from '../../api/client.ts';
import { projectsApi, type Project } from '../../api/projects.ts';
import { applyServerErrors, fromDay } from '../../components/forms.ts';
import { useIsMobile } from '../../components/useIsMobile.ts';
import { useLang } from '../../i18n/index.ts';
import { phaseLabel } from './ledger.tsx';
import { todayInZone } from '../../components/format.ts';

const MAIN: readonly ProjectPhase[] = ['pipeline', 'signed', 'started', 'operating', 'completed'];

function phaseDate(p: Project, phase: ProjectPhase): string | null {
  switch (phase) {
    case 'signed':
      return p.signedOn;
    case 'started':
      return p.startedOn;
    case 'operating':
      return p.operatingOn;
    case 'completed':
      return p.completedOn;
    case 'suspended':
      return p.suspendedOn;
    default:
      return null;
  }
}

/** The latest phase date on or before which a move cannot be dated (the server checks it too). */
function lastPhaseDate(p: Project): string | null {
  const dates = [p.signedOn, p.startedOn, p.operatingOn, p.completedOn, p.suspendedOn].filter((d): d is string => !!d).sort();
  return dates[dates.length - 1] ?? null;
}

interface MoveValues {
  on: Dayjs;
  reason?: string;
}

function MoveDialog({ project, to, onClose, onMoved, onConflict }: { project: Project; to: ProjectPhase | null; onClose: () => void; onMoved: (p: Project) => void; onConflict: (m: string) => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const { message } = App.useApp();
  const [form] = Form.useForm<MoveValues>();
  const [busy, setBusy] = useState(false);
  if (!to) return null;
  const today = todayInZone();
  const earliest = lastPhaseDate(project);
  const suspending = to === 'suspended';
  const resuming = project.phase === 'suspended';
  const title = suspending
    ? t('projects.phase.suspendTitle')
    : resuming
      ? t('projects.phase.resumeTitle', { phase: phaseLabel(to, lang) })
      : t('projects.phase.moveTitle', { from: phaseLabel(project.phase, lang), to: phaseLabel(to, lang) });
  return (
    <Modal open title={title} onCancel={onClose} onOk={() => form.submit()} okText={t('common.confirm')} confirmLoading={busy} destroyOnHidden okButtonProps={{ danger: suspending, 'data-testid': 'phase-confirm' }}>
      <Form<MoveValues>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ on: dayjs(today) }}
        onFinish={async (v) => {
          setBusy(true);
          try {
            const moved = await projectsApi.movePhase(project.id, { version: project.version, to, on: fromDay(v.on)!, reason: v.reason?.trim() || null });
            message.success(t('projects.phase.moved', { phase: phaseLabel(moved.phase, lang) }));
            onMoved(moved);
          } catch (e) {
            if (e instanceof ApiError && e.status === 409) onConflict(e.message);
            else applyServerErrors(form, e, (m) => message.error(m));
          } finally {
            setBusy(false);
          }
        }}
      >
        {suspending && <Alert type="warning" showIcon title={t('projects.phase.suspendHint')} style={{ marginBottom: 16 }} />}
        <Form.Item name="on" label={t('projects.phase.on')} rules={[{ required: true }]} extra={earliest ? t('projects.phase.onHint', { date: earliest }) : undefined}>
          <DatePicker
            style={{ width: '100%' }}
            inputReadOnly
            allowClear={false}
            disabledDate={(d) => d.format('YYYY-MM-DD') > today || (!!earliest && d.format('YYYY-MM-DD') < earliest)}
          />
        </Form.Item>
        <Form.Item name="reason" label={t('projects.phase.reason')} rules={[{ required: suspending, whitespace: true, message: t('projects.phase.reasonRequired') }, { max: 500 }]}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} placeholder={suspending ? t('projects.phase.reasonSuspend') : t('common.optional')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 储备 → 签约 → 开工 → 投产 / 竣工 with dates, and the moves the phase machine allows (shared/project-phase.ts). */
export function PhaseBar({ project, onMoved, onConflict }: { project: Project; onMoved: (p: Project) => void; onConflict: (m: string) => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const mobile = useIsMobile();
  const [to, setTo] = useState<ProjectPhase | null>(null);
  const suspended = project.phase === 'suspended';
  const at = suspended ? (project.suspendedFrom ?? 'started') : project.phase;
  const current = MAIN.indexOf(at);
  const skippedOperating = project.phase === 'completed' && !project.operatingOn;
  // the shared machine decides; the server's nextPhases is the same list
  const moves = project.can.movePhase ? nextPhases(project.phase, project.suspendedFrom) : [];

  return (
    <div data-testid="phase-bar">
      <Steps
        size="small"
        orientation={mobile ? 'vertical' : 'horizontal'}
        current={current}
        status={suspended ? 'error' : project.phase === 'completed' ? 'finish' : 'process'}
        items={MAIN.map((ph, i) => {
          const date = phaseDate(project, ph);
          const isCurrent = i === current;
          return {
            title: isCurrent && suspended ? `${phaseLabel(ph, lang)} · ${phaseLabel('suspended', lang)}` : phaseLabel(ph, lang),
            content:
              isCurrent && suspended ? (
                <Typography.Text type="danger" style={{ fontSize: 12 }}>
                  {t('projects.phase.suspendedOn', { date: project.suspendedOn ?? '—' })}
                </Typography.Text>
              ) : ph === 'operating' && skippedOperating ? (
                <span style={{ fontSize: 12 }}>{t('projects.phase.skipped')}</span>
              ) : (
                <span style={{ fontSize: 12 }} className="qibu-num">
                  {date ?? (i === 0 ? '' : '—')}
                </span>
              ),
          };
        })}
      />
      {moves.length > 0 && (
        <Flex gap={8} wrap="wrap" style={{ marginTop: 12 }}>
          {moves.map((ph) =>
            ph === 'suspended' ? (
              <Button key={ph} danger icon={<PauseCircleOutlined />} onClick={() => setTo(ph)} data-testid={`phase-to-${ph}`}>
                {t('projects.phase.suspend')}
              </Button>
            ) : (
              <Button key={ph} type="primary" ghost icon={suspended ? <PlayCircleOutlined /> : <ArrowRightOutlined />} onClick={() => setTo(ph)} data-testid={`phase-to-${ph}`}>
                {suspended ? t('projects.phase.resume', { phase: phaseLabel(ph, lang) }) : t('projects.phase.moveTo', { phase: phaseLabel(ph, lang) })}
              </Button>
            ),
          )}
        </Flex>
      )}
      {to && (
        <MoveDialog
          key={to}
          project={project}
          to={to}
          onClose={() => setTo(null)}
          onMoved={(p) => {
            setTo(null);
            onMoved(p);
          }}
          onConflict={(m) => {
            setTo(null);
            onConflict(m);
          }}
        />
      )}
    </div>
  );
}
