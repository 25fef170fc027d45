import { projectKey, projectsApi, type Project } from '../../api/projects.ts';
import { OwnerFiles } from '../../components/OwnerFiles.tsx';

/** 附件 of a project (the shared OwnerFiles); its lead unit and HQ may add. */
export function FilesTab({ project }: { project: Project }) {
  return <OwnerFiles filesPath={projectsApi.filesPath(project.id)} queryKey={[...projectKey(project.id), 'files']} canUpload={project.can.update} hint />;
}
