import { useMemo, useState } from 'react';
import { Alert, Button, Card, Empty, Flex, Input, Typography } from 'antd';
import { SaveOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { agendaInput } from '../../api/meetings.ts';
import { useIsMobile } from '../../components/useIsMobile.ts';
import { AgendaKindTag } from './AgendaTab.tsx';
import { useMeetingCtx } from './context.tsx';
import { decisionNo } from './meetings.tsx';
import { useLang } from '../../i18n/index.ts';

/** 纪要: what was said on each agenda item, and the summary; after issue a change asks for its reason (a new version). */
export function MinutesTab() {
  const { t } = useTranslation();
  const lang = useLang();
  const mobile = useIsMobile();
  const { m, save, latest } = useMeetingCtx();
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [summary, setSummary] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const canEdit = m.can.update && m.status !== 'cancelled';

  const savedTexts = useMemo(() => Object.fromEntries(m.agenda.map((a) => [a.id, a.minutes ?? ''])), [m.agenda]);
  const textOf = (id: string) => texts[id] ?? savedTexts[id] ?? '';
  const changedItems = Object.entries(texts).filter(([id, v]) => id in savedTexts && v !== savedTexts[id]);
  const summaryChanged = summary !== null && summary !== (m.summary ?? '');
  const dirty = changedItems.length > 0 || summaryChanged;

  const submit = async () => {
    setBusy(true);
    const now = latest();
    const agenda = agendaInput(now.agenda).map((a) => (a.id && a.id in texts ? { ...a, minutes: texts[a.id]!.trim() || null } : a));
    const ok = await save(
      { ...(changedItems.length ? { agenda } : {}), ...(summaryChanged ? { summary: summary!.trim() || null } : {}) },
      { touchesMinutes: true, done: t('meetings.minutes.saved') },
    );
    setBusy(false);
    if (ok) {
      setTexts({});
      setSummary(null);
    }
  };

  return (
    <div data-testid="minutes-tab">
      {m.minutesVersion > 0 && (
        <Alert
          type={m.minutesChanged ? 'warning' : 'success'}
          showIcon
          style={{ marginBottom: 12 }}
          title={m.minutesChanged ? t('meetings.minutes.pendingRevision', { version: m.minutesVersion + 1 }) : t('meetings.minutes.frozen', { version: m.minutesVersion })}
          data-testid="minutes-frozen"
        />
      )}
      {m.agenda.length === 0 && <Empty description={t('meetings.minutes.noAgenda')} style={{ marginBottom: 16 }} />}
      {m.agenda.map((a, i) => {
        const decisions = m.decisions.filter((d) => d.agendaItemId === a.id);
        return (
          <Card
            key={a.id}
            size="small"
            style={{ marginBottom: 12 }}
            title={
              <span style={{ whiteSpace: 'normal', lineHeight: 1.45, display: 'inline-block', padding: '4px 0' }}>
                {i + 1}. <AgendaKindTag kind={a.kind} /> {a.title}
              </span>
            }
            data-testid="minutes-item"
          >
            {canEdit ? (
              <Input.TextArea
                value={textOf(a.id)}
                onChange={(e) => setTexts((prev) => ({ ...prev, [a.id]: e.target.value }))}
                autoSize={{ minRows: mobile ? 4 : 3, maxRows: 16 }}
                maxLength={20_000}
                placeholder={t('meetings.minutes.itemPlaceholder')}
                data-testid="minutes-item-text"
              />
            ) : (
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{a.minutes || t('meetings.minutes.none')}</Typography.Paragraph>
            )}
            {decisions.length > 0 && (
              <div style={{ marginTop: 8 }}>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('meetings.minutes.itemDecisions')}
                </Typography.Text>
                {decisions.map((d) => (
                  <div key={d.id} style={{ fontSize: 13 }}>
                    {decisionNo(d.seq, lang)}
                    {d.text}
                  </div>
                ))}
              </div>
            )}
          </Card>
        );
      })}
      <Card size="small" title={t('meetings.minutes.summary')} style={{ marginBottom: 12 }}>
        {canEdit ? (
          <Input.TextArea
            value={summary ?? m.summary ?? ''}
            onChange={(e) => setSummary(e.target.value)}
            autoSize={{ minRows: mobile ? 4 : 3, maxRows: 16 }}
            maxLength={20_000}
            placeholder={t('meetings.minutes.summaryPlaceholder')}
            data-testid="minutes-summary"
          />
        ) : (
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{m.summary || t('meetings.minutes.none')}</Typography.Paragraph>
        )}
      </Card>
      {canEdit && (
        <div style={{ position: 'sticky', bottom: 0, zIndex: 5, background: '#fff', padding: '12px 0' }}>
          <Flex gap={8} align="center">
            <Button type="primary" icon={<SaveOutlined />} disabled={!dirty} loading={busy} onClick={() => void submit()} size={mobile ? 'large' : 'middle'} block={mobile} data-testid="minutes-save">
              {m.minutesVersion > 0 ? t('meetings.minutes.saveRevision') : t('meetings.minutes.save')}
            </Button>
            {dirty && !mobile && <Typography.Text type="secondary">{t('meetings.minutes.unsaved')}</Typography.Text>}
          </Flex>
        </div>
      )}
    </div>
  );
}
