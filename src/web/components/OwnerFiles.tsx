import { useState } from 'react';
import { App, Button, Card, Col, Empty, Flex, Image, Row, Tooltip, Typography, Upload, type UploadFile } from 'antd';
import { DeleteOutlined, DownloadOutlined, FileExcelOutlined, FileOutlined, FilePdfOutlined, FileWordOutlined, UploadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import { projectsApi, uploadFile, type ProjectFile } from '../api/projects.ts';
import type { Items } from '../api/types.ts';
import { QueryState } from './QueryState.tsx';
import { formatDateTime } from './format.ts';
import { errorText } from './forms.ts';

const MAX_BYTES = 20 * 1024 * 1024;
const ACCEPT = '.jpg,.jpeg,.png,.webp,.gif,.pdf,.doc,.docx,.xls,.xlsx';

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function FileIcon({ f }: { f: ProjectFile }) {
  const style = { fontSize: 34 };
  if (f.mime.includes('pdf')) return <FilePdfOutlined style={{ ...style, color: '#cf1322' }} />;
  if (f.mime.includes('word') || /\.docx?$/i.test(f.originalName)) return <FileWordOutlined style={{ ...style, color: '#1f4e9a' }} />;
  if (f.mime.includes('sheet') || f.mime.includes('excel') || /\.xlsx?$/i.test(f.originalName)) return <FileExcelOutlined style={{ ...style, color: '#237804' }} />;
  return <FileOutlined style={style} />;
}

/**
 * 附件 of any record with files (a project, a problem, …): photos and documents; images show as thumbnails
 * (GET /api/files/{id}); the server checks types by content and decides who may add (`canUpload` only shows the
 * button). `filesPath` is the owner's GET/POST files URL, `queryKey` the cache key of its list.
 */
export function OwnerFiles({
  filesPath,
  queryKey,
  canUpload,
  hint = false,
  uploadTestId = 'file-upload',
}: {
  filesPath: string;
  queryKey: readonly unknown[];
  canUpload: boolean;
  hint?: boolean;
  uploadTestId?: string;
}) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const { data, isLoading, error, refetch } = useQuery({ queryKey, queryFn: () => api.get<Items<ProjectFile>>(filesPath).then((r) => r.items) });
  const refresh = () => void qc.invalidateQueries({ queryKey });
  const files = data ?? [];
  const [uploading, setUploading] = useState<UploadFile[]>([]);

  return (
    <QueryState loading={isLoading} error={error} retry={() => void refetch()}>
      {canUpload && (
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
              uploadFile<ProjectFile>(filesPath, file as File, (percent) => onProgress?.({ percent }))
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
            <Button icon={<UploadOutlined />} data-testid={uploadTestId}>
              {t('projects.files.upload')}
            </Button>
          </Upload>
          {hint && (
            <Typography.Text type="secondary" style={{ display: 'block', marginTop: 6, fontSize: 12 }}>
              {t('projects.files.hint')}
            </Typography.Text>
          )}
        </div>
      )}
      {files.length === 0 ? (
        <Empty description={t('projects.files.empty')} />
      ) : (
        <Image.PreviewGroup>
          <Row gutter={[12, 12]}>
            {files.map((f) => (
              <Col key={f.id} xs={24} sm={12} lg={8} xxl={6}>
                <Card size="small" styles={{ body: { padding: 10 } }}>
                  <Flex gap={12} align="center">
                    {f.mime.startsWith('image/') ? (
                      <Image src={projectsApi.filePath(f.id)} alt={f.originalName} width={96} height={72} className="qibu-file-thumb" style={{ objectFit: 'cover' }} />
                    ) : (
                      <Flex align="center" justify="center" className="qibu-file-thumb">
                        <FileIcon f={f} />
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
                        <Button type="text" size="small" icon={<DownloadOutlined />} href={projectsApi.filePath(f.id)} download={f.originalName} aria-label={t('projects.files.download')} />
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
