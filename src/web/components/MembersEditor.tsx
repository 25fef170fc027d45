import { useState } from 'react';
import { App, Button, Col, Empty, Flex, Form, Input, Row, Select } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { SECONDMENT_MODES, type SecondmentMode } from '../../shared/org.ts';
import { UnitTreeSelect } from './UnitTreeSelect.tsx';
import { UserPicker, type PickedUser } from './UserPicker.tsx';
import { applyServerErrors } from './forms.ts';
import { useIsMobile } from './useIsMobile.ts';

export interface MemberRow<R extends string> {
  userId: string;
  memberRole: R;
  fromUnitId?: string | null;
  mode?: SecondmentMode;
  duty?: string | null;
}

export interface MembersEditorProps<R extends string> {
  roles: readonly R[];
  defaultRole: R;
  /** HQ members also name the unit they come from and how (抽调 / 驻场). */
  withSecondment: boolean;
  initial: MemberRow<R>[];
  known: PickedUser[];
  onSave: (rows: MemberRow<R>[]) => Promise<void>;
  onCancel: () => void;
}

/** Edits a member list (PUT …/members replaces it); server errors on `members.N.field` land on that row. */
export function MembersEditor<R extends string>({ roles, defaultRole, withSecondment, initial, known, onSave, onCancel }: MembersEditorProps<R>) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const mobile = useIsMobile();
  const [form] = Form.useForm<{ members: MemberRow<R>[] }>();
  const [busy, setBusy] = useState(false);
  const roleOptions = roles.map((r) => ({ value: r, label: t(`memberRoles.${r}` as 'memberRoles.leader') }));
  const modeOptions = SECONDMENT_MODES.map((m) => ({ value: m, label: t(`modes.${m}`) }));
  const span = (desktop: number, phone = 24) => ({ xs: phone, md: desktop });

  return (
    <Form<{ members: MemberRow<R>[] }>
      form={form}
      name="members"
      layout="vertical"
      initialValues={{ members: initial }}
      onFinish={async (v) => {
        setBusy(true);
        try {
          await onSave(
            (v.members ?? []).map((m) => ({
              userId: m.userId,
              memberRole: m.memberRole,
              ...(withSecondment ? { fromUnitId: m.fromUnitId ?? null, mode: m.mode ?? 'seconded' } : {}),
              duty: m.duty?.trim() ? m.duty.trim() : null,
            })),
          );
        } catch (e) {
          applyServerErrors(form, e, (m) => message.error(m));
        } finally {
          setBusy(false);
        }
      }}
    >
      <Form.List name="members">
        {(fields, { add, remove }) => (
          <Flex vertical gap={mobile ? 12 : 0}>
            {fields.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('commands.noMembers')} />}
            {fields.map((field, index) => (
              <Row
                key={field.key}
                gutter={8}
                align="bottom"
                style={mobile ? { border: '1px solid #eceef2', borderRadius: 8, padding: '8px 4px 0', background: '#fafbfc' } : undefined}
              >
                <Col {...span(withSecondment ? 6 : 9)}>
                  <Form.Item name={[field.name, 'userId']} label={mobile || index === 0 ? t('commands.memberName') : undefined} rules={[{ required: true }]}>
                    <UserPicker
                      known={known}
                      onChange={(_, user) => {
                        if (withSecondment && user?.unitId && !form.getFieldValue(['members', field.name, 'fromUnitId']))
                          form.setFieldValue(['members', field.name, 'fromUnitId'], user.unitId);
                      }}
                    />
                  </Form.Item>
                </Col>
                <Col {...span(withSecondment ? 4 : 5, 12)}>
                  <Form.Item name={[field.name, 'memberRole']} label={mobile || index === 0 ? t('commands.memberRole') : undefined} rules={[{ required: true }]}>
                    <Select options={roleOptions} />
                  </Form.Item>
                </Col>
                {withSecondment && (
                  <>
                    <Col {...span(3, 12)}>
                      <Form.Item name={[field.name, 'mode']} label={mobile || index === 0 ? t('commands.mode') : undefined} rules={[{ required: true }]}>
                        <Select options={modeOptions} />
                      </Form.Item>
                    </Col>
                    <Col {...span(5)}>
                      <Form.Item name={[field.name, 'fromUnitId']} label={mobile || index === 0 ? t('commands.fromUnit') : undefined}>
                        <UnitTreeSelect />
                      </Form.Item>
                    </Col>
                  </>
                )}
                <Col {...span(withSecondment ? 5 : 9, 20)}>
                  <Form.Item name={[field.name, 'duty']} label={mobile || index === 0 ? t('commands.duty') : undefined} rules={[{ max: 200 }]}>
                    <Input />
                  </Form.Item>
                </Col>
                <Col {...span(1, 4)}>
                  <Form.Item label={mobile || index === 0 ? ' ' : undefined}>
                    <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(field.name)} aria-label={t('common.delete')} />
                  </Form.Item>
                </Col>
              </Row>
            ))}
            <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ memberRole: defaultRole, ...(withSecondment ? { mode: 'seconded' } : {}) })} block style={{ marginTop: 8 }}>
              {t('commands.addMember')}
            </Button>
          </Flex>
        )}
      </Form.List>
      <Flex gap={8} justify="flex-end" style={{ marginTop: 16 }}>
        <Button onClick={onCancel}>{t('common.cancel')}</Button>
        <Button type="primary" htmlType="submit" loading={busy}>
          {t('common.save')}
        </Button>
      </Flex>
    </Form>
  );
}
