import { useState } from 'react';
import { Empty, Flex, Segmented, Typography } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useMeetingCtx } from './context.tsx';
import { DecisionCard } from './DecisionCard.tsx';

type Show = 'open' | 'all';

/** 跟踪: every decision of this body's earlier meetings with its state now; what is still open goes on the next agenda. */
export function FollowUpTab() {
  const { t } = useTranslation();
  const { m } = useMeetingCtx();
  const open = m.followUp.filter((f) => f.decision.open).length;
  const [show, setShow] = useState<Show>(open ? 'open' : 'all');
  const rows = m.followUp.filter((f) => show === 'all' || f.decision.open);
  const meetings = [...new Map(rows.map((f) => [f.meeting.id, f.meeting])).values()];
  return (
    <div data-testid="followup-tab">
      <Flex justify="space-between" align="center" gap={8} wrap="wrap" style={{ marginBottom: 12 }}>
        <Typography.Text type="secondary" data-testid="followup-count">
          {t('meetings.followUp.count', { count: m.followUp.length, open, done: m.followUp.length - open })}
        </Typography.Text>
        <Segmented<Show>
          value={show}
          onChange={setShow}
          options={[
            { value: 'open', label: t('meetings.followUp.open') },
            { value: 'all', label: t('meetings.followUp.all') },
          ]}
          data-testid="followup-show"
        />
      </Flex>
      {rows.length === 0 ? (
        <Empty description={m.followUp.length ? t('meetings.followUp.allDone') : t('meetings.followUp.empty')} />
      ) : (
        meetings.map((mt) => (
          <section key={mt.id} style={{ marginBottom: 16 }} data-testid="followup-meeting">
            <Typography.Text strong style={{ display: 'block', marginBottom: 6 }}>
              <Link to={`/meetings/${mt.id}?tab=decisions`}>{mt.title}</Link>
              <Typography.Text type="secondary" style={{ fontWeight: 400, marginInlineStart: 8 }} className="qibu-num">
                {mt.heldOn}
              </Typography.Text>
            </Typography.Text>
            {rows
              .filter((f) => f.meeting.id === mt.id)
              .map((f) => (
                <DecisionCard key={f.decision.id} d={f.decision} />
              ))}
          </section>
        ))
      )}
      {open > 0 && (
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {t('meetings.followUp.carried')}
        </Typography.Paragraph>
      )}
    </div>
  );
}
