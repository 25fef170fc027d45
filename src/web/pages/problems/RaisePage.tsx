import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Col, Collapse, Flex, Form, Input, Radio, Row, Select, Space, Switch, Typography, type UploadFile } from 'antd';
import { AimOutlined, CloseOutlined, SendOutlined } from '@ant-design/icons';
import { useNavigate, useSearchParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { PRIORITY_LABELS, PROBLEM_PRIORITIES, PROBLEM_SOURCES, SOURCE_LABELS, type ProblemPriority, type ProblemSource } from '../../../shared/problem-flow.ts';
import { newIdempotencyKey, problemsKey, type ProblemCreate } from '../../api/problems.ts';
import { api } from '../../api/client.ts';
import { projectKey, type Project } from '../../api/projects.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.tsx';
import { applyServerErrors } from '../../components/forms.ts';
import { useCurrentUser } from '../../components/session.tsx';
import { useIsMobile } from '../../components/useIsMobile.ts';
import { pick, useLang } from '../../i18n/index.ts';
import { putDraft, type Draft } from '../../offline/drafts.ts';
import { deliver } from '../../offline/sender.ts';
import { useDrafts, useOnline } from '../../offline/useDrafts.ts';
import { DraftsList } from './DraftsList.tsx';
import { AssignmentFields, DEFAULT_ASSIGNMENT, PhotoPicker, photoBlobs, toAssignment, type AssignmentValues } from './formParts.tsx';
import { ProjectPicker, useCategoryOptions, useCommandOptions } from './pickers.tsx';
import { ProblemsNav, isHqOf } from './problems.tsx';

interface Values {
  title: string;
  category?: string;
  priority: ProblemPriority;
  source: ProblemSource;
  sourceNote?: string;
  description?: string;
  projectId?: string | null;
  commandId?: string;
  placeUnitId?: string | null;
  address?: string;
  photos?: UploadFile[];
  assignNow?: boolean;
  assign?: AssignmentValues;
}

interface Spot {
  longitude: number;
  latitude: number;
  accuracy: number;
}

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;

/**
 * 提报问题: the short form on a phone (title, category, priority, description, photos from the camera, my location)
 * and everything else folded below; HQ people may assign at once. Without network the problem is kept on the device
 * as a draft and sent when the network returns.
 */
export default function RaisePage() {
  const { t } = useTranslation();
  const lang = useLang();
  const me = useCurrentUser();
  const mobile = useIsMobile();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const online = useOnline();
  const [sp] = useSearchParams();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [spot, setSpot] = useState<Spot | null>(null);
  const [locating, setLocating] = useState(false);
  const { drafts } = useDrafts(me.user.id);
  const categories = useCategoryOptions();
  const commands = useCommandOptions();
  const presetProject = sp.get('projectId');
  const initial = useMemo<Partial<Values>>(
    () => ({
      priority: 'normal',
      source: (PROBLEM_SOURCES as readonly string[]).includes(sp.get('source') ?? '') ? (sp.get('source') as ProblemSource) : 'field',
      projectId: presetProject,
      commandId: me.commands[0]?.id,
      photos: [],
      assignNow: false,
      assign: DEFAULT_ASSIGNMENT,
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [],
  );
  const projectId = Form.useWatch('projectId', form) as string | null | undefined;
  const { data: project } = useQuery({ queryKey: projectKey(projectId ?? ''), queryFn: () => api.get<Project>(`/api/projects/${projectId}`), enabled: !!projectId, staleTime: 300_000 });
  const commandId = Form.useWatch('commandId', form);
  // the project's HQ shows in the (then fixed) HQ field
  useEffect(() => {
    if (projectId && project?.command && form.getFieldValue('commandId') !== project.command.id) form.setFieldValue('commandId', project.command.id);
  }, [projectId, project, form]);
  const assignNow = Form.useWatch('assignNow', form);
  // The HQ is the project's when a project is given (the server decides so too).
  const hqId = (projectId ? project?.command?.id : undefined) ?? commandId ?? me.commands[0]?.id ?? null;
  const mayAssign = isHqOf(me, hqId);

  const locate = () => {
    if (!('geolocation' in navigator)) {
      message.warning(t('problems.raiseForm.noGeolocation'));
      return;
    }
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setLocating(false);
        setSpot({ longitude: round6(pos.coords.longitude), latitude: round6(pos.coords.latitude), accuracy: Math.round(pos.coords.accuracy) });
      },
      (err) => {
        setLocating(false);
        message.warning(t('problems.raiseForm.locateFailed', { message: err.message }));
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  };

  const bodyOf = (v: Values): ProblemCreate => {
    const body: ProblemCreate = { title: v.title.trim(), category: v.category!, priority: v.priority, source: v.source };
    if (v.description?.trim()) body.description = v.description.trim();
    if (v.sourceNote?.trim()) body.sourceNote = v.sourceNote.trim();
    if (v.projectId) body.projectId = v.projectId;
    if (v.commandId && !(v.projectId && project?.command)) body.commandId = v.commandId;
    if (v.placeUnitId) body.placeUnitId = v.placeUnitId;
    if (v.address?.trim()) body.address = v.address.trim();
    if (spot) {
      body.longitude = spot.longitude;
      body.latitude = spot.latitude;
    }
    if (v.assignNow && mayAssign && v.assign) body.assign = toAssignment(v.assign);
    return body;
  };

  const resetForm = () => {
    form.resetFields();
    setSpot(null);
  };

  const keep = async (d: Draft, why: 'offline' | 'network') => {
    try {
      await putDraft({ ...d, state: 'waiting' });
      message.warning({ content: why === 'offline' ? t('problems.raiseForm.keptOffline') : t('problems.raiseForm.keptNetwork'), duration: 5 });
      resetForm();
      window.scrollTo({ top: 0, behavior: 'smooth' });
    } catch (e) {
      message.error(t('problems.raiseForm.keepFailed', { message: e instanceof Error ? e.message : String(e) }));
    }
  };

  const submit = async (v: Values) => {
    const draft: Draft = {
      id: newIdempotencyKey(),
      userId: me.user.id,
      createdAt: new Date().toISOString(),
      body: bodyOf(v),
      photos: photoBlobs(v.photos).map((f) => ({ name: f.name, type: f.type || 'image/jpeg', blob: f, uploaded: false })),
      state: 'sending',
      attempts: 0,
    };
    setBusy(true);
    try {
      if (!navigator.onLine) {
        await keep(draft, 'offline');
        return;
      }
      const out = await deliver(draft, false);
      if (out.kind === 'sent') {
        void qc.invalidateQueries({ queryKey: problemsKey });
        message.success(t('problems.raiseForm.raised', { code: out.problemCode }));
        for (const w of out.photoErrors) message.warning(w);
        navigate(`/problems/${out.problemId}`);
      } else if (out.kind === 'kept') {
        await keep(out.draft, 'network');
      } else {
        applyServerErrors(form, out.error, (text) => message.error(text));
      }
    } finally {
      setBusy(false);
    }
  };

  const essentials = (
    <>
      <Form.Item name="title" label={t('problems.fields.title')} rules={[{ required: true, whitespace: true, message: t('problems.raiseForm.titleRequired') }, { max: 200 }]}>
        <Input placeholder={t('problems.raiseForm.titlePlaceholder')} maxLength={200} showCount={!mobile} data-testid="raise-title" />
      </Form.Item>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item name="category" label={t('problems.fields.category')} rules={[{ required: true, message: t('problems.raiseForm.categoryRequired') }]}>
            <Select
              placeholder={t('problems.raiseForm.categoryPlaceholder')}
              options={categories.options}
              loading={categories.isLoading}
              showSearch={{ optionFilterProp: 'label' }}
              data-testid="raise-category"
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="priority" label={t('problems.fields.priority')}>
            <Radio.Group optionType="button" buttonStyle="solid" options={PROBLEM_PRIORITIES.map((p) => ({ value: p, label: pick(PRIORITY_LABELS[p], lang) }))} data-testid="raise-priority" />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="description" label={t('problems.fields.description')} rules={[{ max: 5000 }]}>
        <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} placeholder={t('problems.raiseForm.descriptionPlaceholder')} data-testid="raise-description" />
      </Form.Item>
      <Form.Item name="photos" label={t('problems.raiseForm.photos')} extra={t('problems.raiseForm.photosHint')} valuePropName="value">
        <PhotoPicker testId="raise-photos" />
      </Form.Item>
      <Form.Item label={t('problems.raiseForm.location')}>
        <Flex gap={8} wrap="wrap" align="center">
          <Button icon={<AimOutlined />} loading={locating} onClick={locate} data-testid="raise-locate">
            {t('problems.raiseForm.useMyLocation')}
          </Button>
          {spot && (
            <Space size={4}>
              <Typography.Text className="qibu-mono" style={{ fontSize: 12 }} data-testid="raise-spot">
                {spot.longitude.toFixed(6)}, {spot.latitude.toFixed(6)}
              </Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                ±{spot.accuracy} m
              </Typography.Text>
              <Button size="small" type="text" icon={<CloseOutlined />} onClick={() => setSpot(null)} aria-label={t('common.delete')} />
            </Space>
          )}
        </Flex>
      </Form.Item>
    </>
  );

  const more = (
    <>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item name="projectId" label={t('problems.fields.project')}>
            <ProjectPicker testId="raise-project" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item
            name="commandId"
            label={t('problems.fields.command')}
            extra={projectId && project?.command ? t('problems.raiseForm.hqFromProject', { name: project.command.name }) : undefined}
            rules={project?.command || me.commands.length ? [] : [{ required: true, message: t('problems.raiseForm.hqRequired') }]}
          >
            <Select
              disabled={!!(projectId && project?.command)}
              placeholder={t('problems.raiseForm.hqPlaceholder')}
              options={commands.options}
              loading={commands.isLoading}
              showSearch={{ optionFilterProp: 'label' }}
              allowClear
              data-testid="raise-command"
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="placeUnitId" label={t('problems.fields.placeUnit')}>
            <UnitTreeSelect placeholder={t('problems.raiseForm.placeUnitPlaceholder')} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="address" label={t('problems.fields.address')} rules={[{ max: 200 }]}>
            <Input placeholder={t('problems.raiseForm.addressPlaceholder')} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="source" label={t('problems.fields.source')}>
            <Select options={PROBLEM_SOURCES.map((s) => ({ value: s, label: pick(SOURCE_LABELS[s], lang) }))} data-testid="raise-source" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="sourceNote" label={t('problems.fields.sourceNote')} rules={[{ max: 200 }]}>
            <Input placeholder={t('problems.raiseForm.sourceNotePlaceholder')} />
          </Form.Item>
        </Col>
      </Row>
    </>
  );

  const assignment = mayAssign && (
    <Card
      size="small"
      style={{ marginBottom: 16, background: '#f7f9fd' }}
      title={
        <Flex align="center" gap={10}>
          <Form.Item name="assignNow" valuePropName="checked" noStyle>
            <Switch data-testid="raise-assign-now" />
          </Form.Item>
          <span>{t('problems.raiseForm.assignNow')}</span>
        </Flex>
      }
    >
      {assignNow ? (
        <AssignmentFields prefix={['assign']} />
      ) : (
        <Typography.Text type="secondary" style={{ fontSize: 13 }}>
          {t('problems.raiseForm.assignLater')}
        </Typography.Text>
      )}
    </Card>
  );

  return (
    <>
      <ProblemsNav current="new" drafts={drafts.length} />
      <PageHeader title={t('problems.raiseTitle')} subtitle={!mobile && t('problems.raiseSubtitle')} />
      {!online && <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('problems.raiseForm.offlineBanner')} data-testid="offline-banner" />}
      {drafts.length > 0 && <DraftsList drafts={drafts} />}
      <Card styles={{ body: { padding: mobile ? 14 : 24 } }}>
        <Form<Values> form={form} layout="vertical" initialValues={initial} onFinish={(v) => void submit(v)} scrollToFirstError requiredMark="optional" style={{ maxWidth: 960 }}>
          {essentials}
          {mobile ? (
            <Collapse
              ghost
              size="small"
              style={{ marginBottom: 12, marginInline: -12 }}
              defaultActiveKey={presetProject ? ['more'] : []}
              items={[{ key: 'more', label: t('problems.raiseForm.more'), children: more, forceRender: true }]}
            />
          ) : (
            more
          )}
          {assignment}
          <Flex gap={8} justify={mobile ? 'stretch' : 'flex-start'}>
            <Button type="primary" htmlType="submit" icon={<SendOutlined />} loading={busy} block={mobile} size={mobile ? 'large' : 'middle'} data-testid="raise-submit">
              {online ? t('problems.raiseForm.submit') : t('problems.raiseForm.saveDraft')}
            </Button>
            {!mobile && <Button onClick={() => navigate(-1)}>{t('common.cancel')}</Button>}
          </Flex>
        </Form>
      </Card>
    </>
  );
}
