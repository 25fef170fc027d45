import { Card, Col, Descriptions, Empty, Flex, Row, Space, Tag, Typography } from 'antd';
import { RightOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { RoleTags } from '../components/Labels.tsx';
import { useCurrentUser } from '../components/session.tsx';
import { useIsMobile } from '../components/useIsMobile.ts';
import { pick, useLang } from '../i18n/index.ts';
import { modulesFor } from '../modules.tsx';

/** 首页: who I am here (roles, unit, HQs) and the modules I can use. */
export default function HomePage() {
  const me = useCurrentUser();
  const { t } = useTranslation();
  const lang = useLang();
  const mobile = useIsMobile();
  const mods = modulesFor(me.roles);
  return (
    <Space orientation="vertical" size={mobile ? 12 : 20} style={{ width: '100%' }}>
      <Card
        styles={{ body: { padding: mobile ? 16 : 28 } }}
        style={{ background: 'linear-gradient(120deg, #ffffff 0%, #f0f5ff 100%)', borderColor: '#dfe7f5' }}
        data-testid="welcome-card"
      >
        <Typography.Title level={mobile ? 4 : 3} style={{ marginTop: 0 }}>
          {t('home.greeting', { name: me.user.displayName })}
        </Typography.Title>
        <Descriptions
          column={mobile ? 1 : 3}
          size="small"
          items={[
            { key: 'zone', label: t('home.zone'), children: me.zone.name },
            { key: 'unit', label: t('home.unit'), children: me.unit?.name ?? <Typography.Text type="secondary">{t('home.noUnit')}</Typography.Text> },
            { key: 'roles', label: t('home.roles'), children: <RoleTags roles={me.roles} /> },
            ...(me.commands.length
              ? [
                  {
                    key: 'hq',
                    label: t('home.commands'),
                    span: mobile ? 1 : 3,
                    children: (
                      <Space size={[8, 4]} wrap>
                        {me.commands.map((c) => (
                          <Link key={c.id} to={`/org/commands?id=${c.id}`}>
                            {c.name}
                            {c.leads && (
                              <Tag color="red" style={{ marginInlineStart: 6 }}>
                                {t('home.leads')}
                              </Tag>
                            )}
                          </Link>
                        ))}
                      </Space>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      <Card title={t('home.quickLinks')} styles={{ body: { padding: mobile ? 12 : 24 } }}>
        {mods.length === 0 ? (
          <Empty description={t('home.noModules')} />
        ) : (
          <Row gutter={[16, 16]}>
            {mods.map((m) => (
              <Col key={m.key} xs={24} sm={12} lg={8} xxl={6}>
                <Link to={m.path}>
                  <Card hoverable size="small" styles={{ body: { padding: 16 } }}>
                    <Flex align="center" gap={14}>
                      <Flex
                        align="center"
                        justify="center"
                        style={{ width: 44, height: 44, borderRadius: 10, background: '#eef3fc', color: '#1f4e9a', fontSize: 22, flexShrink: 0 }}
                      >
                        {m.icon}
                      </Flex>
                      <div style={{ flex: 1, minWidth: 0 }}>
                        <Typography.Text strong style={{ fontSize: 15 }}>
                          {pick(m.label, lang)}
                        </Typography.Text>
                        <div>
                          <Typography.Text type="secondary" ellipsis style={{ fontSize: 12 }}>
                            {pick(m.hint, lang)}
                          </Typography.Text>
                        </div>
                      </div>
                      <RightOutlined style={{ color: 'rgba(0,0,0,0.3)' }} />
                    </Flex>
                  </Card>
                </Link>
              </Col>
            ))}
          </Row>
        )}
      </Card>
    </Space>
  );
}
