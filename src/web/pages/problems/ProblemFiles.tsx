import { useState } from 'react';
import { App, Button, Card, Col, Empty, Flex, Image, Row, Tooltip, Typography, Upload, type UploadFile } from 'antd';
import { DeleteOutlined, DownloadOutlined, FileOutlined, UploadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { problemKey, problemsApi, useProblemFiles, type ProblemDetail } from '../../api/problems.ts';
import { projectsApi } from '../../api/projects.ts';
import { QueryState } from '../../components/QueryState.tsx';
import { formatDateTime } from '../../components/format.ts';
import { errorText } from '../../components/forms.ts';
import { fileSize } from '../projects/FilesTab.tsx';

const MAX_BYTES = 20 * 1024 * 1024;
const ACCEPT = '.jpg,.jpeg,.png,.webp,.gif,.pdf,.doc,.docx,.xls,.xlsx';

/** 附件: the problem's photos and documents (also those sent with its steps); those who take part may add more. */
export function ProblemFiles({ problem }: { problem: ProblemDetail }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const { data, isLoading, error, refetch } = useProblemFiles(problem.id);
  const refresh = () => void qc.invalidateQueries({ queryKey: [...problemKey(problem.id), 'files'] });
  const files = data ?? [];
  const [uploading, setUploading] = useState<UploadFile[]>([]);
  // who may add files is the server's call; those who may act on the problem are the ones who take part
  const mayUpload = problem.actions.length > 0;
  return (
    <QueryState loading={isLoading} error={error} retry={() => void refetch()}>
      {mayUpload && (
        <div style={{ marginBottom: 16 }}>
          <Upload
            multiple
            fileList={uploading}
            onChange={({ fileList }) => setUploading(fileList.filter((f) => f.status !== 'done'))}
            accept={ACCEPT}
            beforeUpload={(file) => {
              if (file.size > MAX_BYTES) {
                message.error(t('projects.files.tooLarge', { name: file.name }));
                return Upload.LIST_IGNORE;
              }
              return true;
            }}
            customRequest={({ file, onProgress, onSuccess, onError }) => {
              problemsApi
                .upload(problem.id, file as File, (percent) => onProgress?.({ percent }))
                .then((r) => {
                  onSuccess?.(r);
                  message.success(t('projects.files.uploaded', { name: (file as File).name }));
                  refresh();
                })
                .catch((e: unknown) => {
                  message.error(errorText(e));
                  onError?.(e as Error);
                });
            }}
            showUploadList={{ showRemoveIcon: false }}
          >
            <Button icon={<UploadOutlined />} data-testid="problem-file-upload">
              {t('projects.files.upload')}
            </Button>
          </Upload>
        </div>
      )}
      {files.length === 0 ? (
        <Empty description={t('projects.files.empty')} />
      ) : (
        <Image.PreviewGroup>
          <Row gutter={[12, 12]}>
            {files.map((f) => (
              <Col key={f.id} xs={24} sm={12} xl={8}>
                <Card size="small" styles={{ body: { padding: 10 } }}>
                  <Flex gap={12} align="center">
                    {f.mime.startsWith('image/') ? (
                      <Image src={problemsApi.filePath(f.id)} alt={f.originalName} width={88} height={66} style={{ objectFit: 'cover', borderRadius: 4 }} />
                    ) : (
                      <Flex align="center" justify="center" style={{ width: 88, height: 66, background: '#fafafa', borderRadius: 4 }}>
                        <FileOutlined style={{ fontSize: 30 }} />
                      </Flex>
                    )}
                    <div style={{ minWidth: 0, flex: 1 }}>
                      <Typography.Text ellipsis={{ tooltip: f.originalName }} strong style={{ display: 'block' }}>
                        {f.originalName}
                      </Typography.Text>
                      <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
                        {fileSize(f.size)} · {f.uploadedBy?.displayName ?? '—'}
                      </Typography.Text>
                      <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
                        {formatDateTime(f.createdAt)}
                      </Typography.Text>
                    </div>
                    <Flex vertical gap={2}>
                      <Tooltip title={t('projects.files.download')}>
                        <Button type="text" size="small" icon={<DownloadOutlined />} href={problemsApi.filePath(f.id)} download={f.originalName} aria-label={t('projects.files.download')} />
                      </Tooltip>
                      {f.can?.delete && (
                        <Tooltip title={t('common.delete')}>
                          <Button
                            type="text"
                            size="small"
                            danger
                            icon={<DeleteOutlined />}
                            aria-label={t('common.delete')}
                            onClick={() =>
                              modal.confirm({
                                title: t('common.delete'),
                                content: t('common.deleteConfirm', { name: f.originalName }),
                                okType: 'danger',
                                onOk: async () => {
                                  try {
                                    await projectsApi.removeFile(f.id);
                                    message.success(t('common.deleted'));
                                  } catch (e) {
                                    message.error(errorText(e));
                                  } finally {
                                    refresh();
                                  }
                                },
                              })
                            }
                          />
                        </Tooltip>
                      )}
                    </Flex>
                  </Flex>
                </Card>
              </Col>
            ))}
          </Row>
        </Image.PreviewGroup>
      )}
    </QueryState>
  );
}
